import { expect } from 'chai';
import { admit, afterFailure, afterSuccess, CLOSED_BREAKER, type BreakerState } from '../../../../shared/domain/resilience/breaker';

const POLICY = { failureThreshold: 3, cooldownMs: 10_000 };
const T0 = new Date('2026-11-01T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function failTimes(count: number, from: BreakerState = CLOSED_BREAKER): BreakerState {
  let breaker = from;
  for (let i = 0; i < count; i++) breaker = afterFailure(breaker, T0, POLICY).next;
  return breaker;
}

describe('circuit breaker', () => {
  it('stays closed below the threshold and opens at it', () => {
    expect(failTimes(2).state).to.equal('closed');
    const third = afterFailure(failTimes(2), T0, POLICY);
    expect(third.tripped).to.equal(true);
    expect(third.next).to.include({ state: 'open', failures: 3, openUntil: at(10_000).toISOString() });
  });

  it('forgets failures after an answer', () => {
    expect(afterSuccess(failTimes(2)).next).to.deep.equal(CLOSED_BREAKER);
    expect(afterSuccess(CLOSED_BREAKER).next, 'nothing to write').to.equal(null);
  });

  it('refuses calls while open, then lets one probe through and refuses the rest while it runs', () => {
    const open = failTimes(3);
    expect(admit(open, at(5_000), 1000)).to.deep.equal({ admitted: false, until: at(10_000) });
    const probe = admit(open, at(10_000), 1000);
    expect(probe).to.deep.include({ admitted: true, probe: true });
    const halfOpen = (probe as { next: BreakerState }).next;
    expect(halfOpen.state).to.equal('half_open');
    expect(admit(halfOpen, at(10_500), 1000)).to.deep.equal({ admitted: false, until: at(11_000) });
    expect(admit(halfOpen, at(11_000), 1000), 'a lost probe frees the breaker').to.deep.include({ admitted: true, probe: true });
  });

  it('closes when the probe gets an answer and opens again when it fails', () => {
    const halfOpen = (admit(failTimes(3), at(10_000), 1000) as { next: BreakerState }).next;
    expect(afterSuccess(halfOpen)).to.deep.equal({ next: CLOSED_BREAKER, closed: true });
    const reopened = afterFailure(halfOpen, at(10_200), POLICY);
    expect(reopened.tripped).to.equal(true);
    expect(reopened.next.openUntil).to.equal(at(20_200).toISOString());
  });
});
