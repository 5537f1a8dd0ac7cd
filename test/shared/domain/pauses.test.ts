import { expect } from 'chai';
import { newJob } from '../../../shared/domain/new_job';
import { isPaused, PAUSABLE_STATES, paused, resumed } from '../../../shared/domain/pauses';
import type { Job } from '../../../shared/schemas/job';
import { STATES } from '../../../shared/stages';
import { validBrief } from '../../support/fixtures';

const AT = new Date('2031-01-01T00:00:00Z');
const LATER = new Date('2031-01-01T01:00:00Z');
const job = (patch: Partial<Job> = {}): Job => ({ ...newJob({ id: 'job_pause', tenant: 't', brief: validBrief(), createdBy: null }, AT), ...patch });

describe('budget pauses', () => {
  it('hold the work before rendering only', () => {
    expect(PAUSABLE_STATES).to.deep.equal(['SUBMITTED', 'INPUT_SANITIZED', 'CREATIVE_DIRECTION', 'WAITING_APPROVAL']);
    for (const state of STATES) expect(paused(job({ state }), 'used up', AT) !== null, state).to.equal(PAUSABLE_STATES.includes(state));
    expect(paused(job({ completedAt: AT.toISOString() }), 'used up', AT), 'a job closing').to.equal(null);
  });

  it('hold a job once, and let it go once, recording when and why', () => {
    const held = paused(job(), 'used up', AT)!;
    expect(isPaused(held)).to.equal(true);
    expect(paused(held, 'again', LATER)).to.equal(null);
    const released = resumed(held, 'raised', LATER)!;
    expect(isPaused(released)).to.equal(false);
    expect(released.pauses).to.deep.equal([{ state: 'SUBMITTED', at: AT.toISOString(), reason: 'used up', resumedAt: LATER.toISOString(), resumeReason: 'raised' }]);
    expect(released.updatedAt, 'the sweeper counts from the resumption').to.equal(LATER.toISOString());
    expect(resumed(released, 'again', LATER)).to.equal(null);
    expect(paused(released, 'used up again', LATER)!.pauses).to.have.length(2);
  });
});
