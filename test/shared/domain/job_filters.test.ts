import { expect } from 'chai';
import { parseJobFilters } from '../../../shared/domain/job_filters';

describe('job list filters', () => {
  it('parses every operator on the fields that take it, typing the values', () => {
    const parsed = parseJobFilters(['state:in:RENDERING,QA_TECH', 'preset:=:quick_social', 'costUsd:>=:0.5', 'createdAt:<:2026-12-01T09:30:00Z']);
    expect(parsed).to.deep.equal({
      ok: true,
      filters: [
        { field: 'state', op: 'in', value: ['RENDERING', 'QA_TECH'] },
        { field: 'preset', op: '=', value: 'quick_social' },
        { field: 'costUsd', op: '>=', value: 0.5 },
        { field: 'createdAt', op: '<', value: '2026-12-01T09:30:00.000Z' },
      ],
    });
    expect(parseJobFilters(['costUsd:not-in:0,1'])).to.deep.equal({ ok: true, filters: [{ field: 'costUsd', op: 'not-in', value: [0, 1] }] });
  });

  it('names the filter that is wrong and why', () => {
    const cases: Array<[string, RegExp]> = [
      ['state', /field:op:value/],
      ['owner:=:me', /unknown filter field "owner"/],
      ['state:~:x', /unknown operator "~"/],
      ['state:<:RENDERING', /=, !=, in and not-in only/],
      ['state:=:DONE', /not a state/],
      ['preset:=:cheap', /not a preset/],
      ['costUsd:>:-1', /a number ≥ 0/],
      ['costUsd:>:', /a number ≥ 0/],
      ['createdAt:>:2026-12-01', /UTC time/],
      [`state:not-in:${Array(11).fill('ERROR').join(',')}`, /at most 10 values/],
    ];
    for (const [text, message] of cases) {
      const parsed = parseJobFilters(['state:=:ERROR', text]);
      expect(parsed.ok, text).to.equal(false);
      if (!parsed.ok) {
        expect(parsed.issues[0].field).to.equal('filter[1]');
        expect(parsed.issues[0].message).to.match(message);
      }
    }
  });

  it('refuses combinations Firestore cannot run, and more than ten filters', () => {
    for (const combination of [
      ['state:!=:ERROR', 'preset:not-in:quick_social'],
      ['state:not-in:ERROR', 'preset:in:quick_social'],
      ['state:in:ERROR', 'preset:in:quick_social'],
      Array(11).fill('costUsd:>=:0'),
    ]) {
      const parsed = parseJobFilters(combination);
      expect(parsed.ok, combination.join(' ')).to.equal(false);
    }
  });
});
