import { randomUUID } from 'node:crypto';
import { newJob } from '../../shared/domain/new_job';
import { planOffline } from '../../shared/domain/planning/offline_planner';
import { applyTransition } from '../../shared/domain/transitions';
import type { JobStore } from '../../shared/ports/job_store';
import type { BriefInput } from '../../shared/schemas/brief';
import type { Job } from '../../shared/schemas/job';
import type { StageMessage } from '../../shared/schemas/messages';
import { PRESETS } from '../../shared/schemas/preset';
import { validBrief } from './fixtures';

/**
 * A job stored as if it had come through sanitising, creative direction and review (offline plan) into
 * RENDERING, with the message that state's function would receive.
 */
export async function jobInRendering(jobs: JobStore, tenant: string, overrides: Partial<BriefInput>): Promise<{ job: Job; message: StageMessage }> {
  const brief = validBrief(overrides);
  const now = new Date();
  let job: Job = { ...newJob({ id: `job_${randomUUID().replace(/-/g, '')}`, tenant, brief, createdBy: null }, now), preset: PRESETS[brief.preset], manifest: planOffline(brief) };
  for (const to of ['INPUT_SANITIZED', 'CREATIVE_DIRECTION', 'RENDERING'] as const) {
    job = applyTransition(job, { to, reason: 'staged by the test', causeEventId: job.stateEventId }, now).job;
  }
  await jobs.create(job);
  return { job, message: { jobId: job.id, state: 'RENDERING', eventId: job.stateEventId } };
}
