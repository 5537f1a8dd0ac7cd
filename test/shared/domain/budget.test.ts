import { expect } from 'chai';
import {
  BudgetRefusedError,
  crossedThresholds,
  currentBudget,
  isExhausted,
  monthOf,
  newBudget,
  remainingOf,
  reserve,
  settle,
  spentPercentOf,
  withLimit,
} from '../../../shared/domain/budget';
import type { TenantBudget } from '../../../shared/schemas/tenant';

const JAN = new Date('2031-01-20T12:00:00Z');
const FEB = new Date('2031-02-01T00:00:00Z');

function budget(patch: Partial<TenantBudget> = {}): TenantBudget {
  return { ...newBudget(10, JAN), ...patch };
}

function refusal(run: () => unknown): BudgetRefusedError {
  try {
    run();
  } catch (error) {
    if (error instanceof BudgetRefusedError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('tenant budgets', () => {
  it('count calendar months in UTC', () => {
    expect(monthOf(new Date('2031-01-31T23:59:59.999Z'))).to.equal('2031-01');
    expect(monthOf(new Date('2031-02-01T00:00:00.000Z'))).to.equal('2031-02');
  });

  it('leave the limit less what is spent and reserved, never below zero, a job counting its own reservation as its own', () => {
    expect(remainingOf(budget({ spentUsd: 2.5, reservedUsd: 1.25 }))).to.equal(6.25);
    expect(remainingOf(budget({ spentUsd: 2.5, reservedUsd: 1.25 }), 1)).to.equal(7.25);
    expect(remainingOf(budget({ spentUsd: 11 }))).to.equal(0);
    expect(remainingOf(budget({ spentUsd: 11, reservedUsd: 3 }), 3), 'over the limit stays at nothing left').to.equal(0);
  });

  it('start a new month from zero spent and no alerts, carrying over what running jobs reserved', () => {
    const january = budget({ spentUsd: 9.5, reservedUsd: 0.3, alertedPercents: [50, 90], exhaustedAt: JAN.toISOString() });
    expect(currentBudget(january, JAN)).to.equal(january);
    const february = currentBudget(january, FEB);
    expect(february).to.include({ month: '2031-02', spentUsd: 0, reservedUsd: 0.3, exhaustedAt: null, monthlyUsd: 10 });
    expect(february.alertedPercents).to.deep.equal([]);
    // The January job still running closes in February: its reservation goes, its cost counts in February.
    expect(settle(february, 0.3, 0.25, FEB)).to.include({ reservedUsd: 0, spentUsd: 0.25, month: '2031-02' });
    expect(currentBudget({ ...february }, JAN), 'a clock behind the record does not roll it back').to.include({ month: '2031-02' });
  });

  it('reserve what fits, and refuse past the limit naming the estimate, what is left and the limit', () => {
    const at95 = budget({ spentUsd: 9.5 });
    expect(reserve(at95, [0.25, 0.25], JAN).reservedUsd).to.equal(0.5);
    const refused = refusal(() => reserve(at95, [0.6], JAN));
    expect(refused.code).to.equal('budget_exceeded');
    expect(refused.message).to.equal("the job's estimate $0.6000 is more than the $0.5000 left of this month's (2031-01) $10.00 budget");
    expect(refusal(() => reserve(at95, [0.3, 0.3], JAN)).message).to.match(/^the estimates of these 2 jobs total \$0\.6000 is more than/);
  });

  it('refuse everything once the budget is used up, or a zero budget', () => {
    expect(refusal(() => reserve(budget({ spentUsd: 10 }), [0.01], JAN)).code).to.equal('budget_exhausted');
    expect(refusal(() => reserve(budget({ exhaustedAt: JAN.toISOString(), spentUsd: 1 }), [0.01], JAN)).code).to.equal('budget_exhausted');
    expect(refusal(() => reserve(newBudget(0, JAN), [0.001], JAN)).message).to.match(/has used up this month's \(2031-01\) \$0\.0000 budget/);
    expect(isExhausted(budget({ spentUsd: 9.99 }))).to.equal(false);
  });

  it('release a reservation once, never below nothing reserved', () => {
    expect(settle(budget({ reservedUsd: 0.2 }), 0.5, 0.1, JAN)).to.include({ reservedUsd: 0, spentUsd: 0.1 });
  });

  it('lift the used-up mark only when a new limit is above what is spent', () => {
    const usedUp = budget({ spentUsd: 10, exhaustedAt: JAN.toISOString() });
    expect(withLimit(usedUp, 10, JAN).exhaustedAt).to.equal(JAN.toISOString());
    expect(withLimit(usedUp, 20, JAN).exhaustedAt).to.equal(null);
  });

  it('cross 50, 90 and 100 % on what is spent', () => {
    expect(crossedThresholds(4.99, 10)).to.deep.equal([]);
    expect(crossedThresholds(5, 10)).to.deep.equal([50]);
    expect(crossedThresholds(9.5, 10)).to.deep.equal([50, 90]);
    expect(crossedThresholds(12, 10)).to.deep.equal([50, 90, 100]);
    expect(crossedThresholds(0, 0), 'a zero budget is used up from the start').to.deep.equal([50, 90, 100]);
    expect(spentPercentOf(budget({ spentUsd: 9.5 }))).to.equal(95);
  });
});
