import type { CloudEvent } from '@google-cloud/functions-framework';
import { applyTransition } from '../../shared/domain/transitions';
import { log } from '../../shared/logging';
import { MessagePublishedDataSchema } from '../../shared/schemas/messages';
import { StateSchema, STAGE_TABLE } from '../../shared/stages';
import { getRuntime } from '../runtime';
import { publishState } from './publish_state';

/** A dead letter for work another delivery is still doing: answered non-2xx, so it comes back once that is done. */
export class DeadLetterDeferredError extends Error {
  constructor(jobId: string, eventId: string) {
    super(`job ${jobId}: a delivery of ${eventId} still holds a live lease; the dead letter waits until it is done`);
    this.name = 'DeadLetterDeferredError';
  }
}

/**
 * Receives every message a stage gave up on and fails its job with the reason the stage recorded, unless the job
 * has moved on since (then the dead message was a stale copy and changes nothing). A copy that used up its attempts
 * only by finding the work busy (another delivery holds its lease) does not fail a job that is still working: it
 * waits, and once the work is done the job has either moved on or failed for a reason of its own.
 */
export async function failDeadLetteredJob(event: CloudEvent<unknown>): Promise<void> {
  const runtime = await getRuntime();
  const envelope = MessagePublishedDataSchema.safeParse(event.data);
  const attributes = envelope.success ? (envelope.data.message.attributes ?? {}) : {};
  const { jobId, eventId } = attributes;
  const state = StateSchema.safeParse(attributes.state);
  if (jobId === undefined || eventId === undefined || !state.success) {
    log('ERROR', 'dead letter names no job; kept in the dead-letter log only', { attributes });
    return;
  }
  const attempts = attributes.CloudPubSubDeadLetterSourceDeliveryCount ?? 'every';
  if ((await runtime.jobs.get(jobId)) === null) {
    log('WARNING', 'dead letter for a job that no longer exists', { jobId, eventId });
    return;
  }
  const failed = await runtime.jobs.update(jobId, (job) => {
    if (job.state !== state.data || job.stateEventId !== eventId || STAGE_TABLE[job.state].terminal) return { job: null, result: null };
    const now = runtime.clock().getTime();
    const working = Object.entries(job.leases).some(([workKey, lease]) => workKey.startsWith(eventId) && Date.parse(lease.expiresAt) > now);
    if (working) throw new DeadLetterDeferredError(jobId, eventId);
    const cause = job.lastFailure?.message ?? 'no error was recorded';
    const reason = `${state.data} failed after ${attempts} delivery attempts: ${cause}`;
    const { job: moved } = applyTransition(
      { ...job, error: { state: state.data, reason } },
      { to: 'ERROR', reason, causeEventId: `${eventId}:dead-letter` },
      runtime.clock(),
    );
    return { job: moved, result: moved };
  });
  if (failed === null) {
    log('INFO', 'dead letter for a job that has moved on; nothing to do', { jobId, eventId });
    return;
  }
  log('ERROR', failed.error?.reason ?? 'job failed', { jobId, stage: state.data, eventId });
  await publishState(runtime.events, failed);
}
