import type { CloudEvent } from '@google-cloud/functions-framework';
import { log } from '../../shared/logging';
import type { State } from '../../shared/stages';
import { getRuntime, type Runtime } from '../runtime';
import { decodeMessage, UndecodableMessageError } from './decode_message';
import { runStage } from './stage_runner';
import type { StageWork } from './stage_work';

/** Pins an undecodable message's error on its job (when the attributes name one) for the dead-letter handler. */
async function recordUndecodable(runtime: Runtime, state: State, error: UndecodableMessageError): Promise<void> {
  const jobId = error.attributes.jobId;
  log('ERROR', error.message, { jobId, stage: state });
  if (jobId === undefined || (await runtime.jobs.get(jobId)) === null) return;
  await runtime.jobs.update(jobId, (job) => {
    const at = runtime.clock().toISOString();
    return { job: { ...job, lastFailure: { state, message: error.message, at }, updatedAt: at }, result: undefined };
  });
}

/** The CloudEvent function of one state: decode the Pub/Sub message, run the state's work once. */
export function stageFunction(state: State, work: StageWork): (event: CloudEvent<unknown>) => Promise<void> {
  return async (event) => {
    const runtime = await getRuntime();
    try {
      const { message } = decodeMessage(event);
      if (message.state !== state) throw new UndecodableMessageError(`a ${message.state} message on the ${state} topic`, { jobId: message.jobId });
      await runStage(runtime, state, work, message);
    } catch (error) {
      // Rethrowing answers non-2xx, so Pub/Sub redelivers and finally dead-letters the message.
      if (error instanceof UndecodableMessageError) await recordUndecodable(runtime, state, error);
      throw error;
    }
  };
}
