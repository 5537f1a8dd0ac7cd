import type { CloudEvent } from '@google-cloud/functions-framework';
import { applyTransition } from '../../shared/domain/transitions';
import { log } from '../../shared/logging';
import { MessagePublishedDataSchema } from '../../shared/schemas/messages';
import { StateSchema, STAGE_TABLE } from '../../shared/stages';
import { getRuntime } from '../runtime';
import { publishState } from './publish_state';

/**
 * Receives every message a stage gave up on and fails its job with the reason the stage recorded, unless the job
 * has moved on since (then the dead message was a stale copy and changes nothing).
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
