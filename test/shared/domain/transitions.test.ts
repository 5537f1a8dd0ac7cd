import { expect } from 'chai';
import { validateBrief } from '../../../shared/domain/brief_validation';
import { IllegalTransitionError } from '../../../shared/domain/errors';
import { newJob } from '../../../shared/domain/new_job';
import { applyTransition, transitionEventId } from '../../../shared/domain/transitions';
import type { Job } from '../../../shared/schemas/job';
import { JobSchema } from '../../../shared/schemas/job';
import { shortBrief } from '../../support/fixtures';

function submitted(): Job {
  const validation = validateBrief(shortBrief());
  if (!validation.ok) throw new Error('fixture brief is invalid');
  return newJob({ id: 'job_1', tenant: 'local', brief: validation.brief, createdBy: null }, new Date('2026-01-01T00:00:00Z'));
}

describe('state machine', () => {
  it('starts a job in SUBMITTED with one history entry and a valid document', () => {
    const job = submitted();
    expect(job.state).to.equal('SUBMITTED');
    expect(job.stateHistory).to.have.length(1);
    expect(job.stateHistory[0]).to.include({ from: null, to: 'SUBMITTED', eventId: job.stateEventId });
    expect(() => JobSchema.parse(job)).not.to.throw();
  });

  it('moves a job along a legal transition and records it', () => {
    const job = submitted();
    const { job: moved, applied, eventId } = applyTransition(job, { to: 'INPUT_SANITIZED', reason: 'ok', causeEventId: job.stateEventId }, new Date('2026-01-01T00:00:01Z'));
    expect(applied).to.equal(true);
    expect(moved.state).to.equal('INPUT_SANITIZED');
    expect(moved.stateEventId).to.equal(eventId);
    expect(moved.stateHistory.at(-1)).to.deep.include({ from: 'SUBMITTED', to: 'INPUT_SANITIZED', reason: 'ok', causeEventId: job.stateEventId });
  });

  it('refuses an illegal transition', () => {
    const job = submitted();
    expect(() => applyTransition(job, { to: 'DELIVERED', reason: 'skip', causeEventId: job.stateEventId }, new Date())).to.throw(IllegalTransitionError, 'SUBMITTED → DELIVERED');
  });

  it('ignores a transition whose event was already applied', () => {
    const job = submitted();
    const request = { to: 'INPUT_SANITIZED' as const, reason: 'ok', causeEventId: job.stateEventId };
    const first = applyTransition(job, request, new Date());
    const again = applyTransition(first.job, request, new Date());
    expect(again.applied).to.equal(false);
    expect(again.job).to.equal(first.job);
  });

  it('derives the same event id from the same cause, and different ones otherwise', () => {
    expect(transitionEventId('evt_a', 'RENDERING')).to.equal(transitionEventId('evt_a', 'RENDERING'));
    expect(transitionEventId('evt_a', 'RENDERING')).not.to.equal(transitionEventId('evt_b', 'RENDERING'));
    expect(transitionEventId('evt_a', 'RENDERING')).not.to.equal(transitionEventId('evt_a', 'ERROR'));
    expect(transitionEventId(null, 'SUBMITTED')).not.to.equal(transitionEventId(null, 'SUBMITTED'));
  });

  it('times the state being left', () => {
    const job = { ...submitted(), timings: { SUBMITTED: { attempts: 1, startedAt: '2026-01-01T00:00:00.000Z' } } };
    const { job: moved } = applyTransition(job, { to: 'INPUT_SANITIZED', reason: 'ok', causeEventId: job.stateEventId }, new Date('2026-01-01T00:00:02.500Z'));
    expect(moved.timings.SUBMITTED).to.deep.equal({ attempts: 1, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:02.500Z', durationMs: 2500 });
    expect(moved.timings.INPUT_SANITIZED).to.deep.equal({ attempts: 0 });
  });
});
