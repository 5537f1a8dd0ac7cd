import type { CloudEvent } from '@google-cloud/functions-framework';
import { log, withLogContext } from '../../shared/logging';
import type { State, StepKind } from '../../shared/stages';
import { getRuntime, type Runtime } from '../runtime';
import { decodeMessage, UndecodableMessageError } from './decode_message';
import { runStage } from './stage_runner';
import type { StageWork } from './stage_work';

/** Which messages a function takes: those of one state, and of one of its steps or none. */
export interface Subscription {
  state: State;
  step?: StepKind;
}

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

function describe(state: State, step: StepKind | undefined): string {
  return step === undefined ? state : `${state}/${step}`;
}

/** The CloudEvent function of one state or step: decode the Pub/Sub message, run the work once. */
export function stageFunction(subscription: Subscription, work: StageWork): (event: CloudEvent<unknown>) => Promise<void> {
  return async (event) => {
    const runtime = await getRuntime();
    try {
      const { message } = decodeMessage(event);
      if (message.state !== subscription.state || message.step?.kind !== subscription.step) {
        const arrived = describe(message.state, message.step?.kind);
        throw new UndecodableMessageError(`a ${arrived} message on the ${describe(subscription.state, subscription.step)} topic`, { jobId: message.jobId });
      }
      const fields = { jobId: message.jobId, stage: message.state, step: message.step?.kind, eventId: message.eventId };
      await withLogContext(fields, () => runStage(runtime, work, message));
    } catch (error) {
      // Rethrowing answers non-2xx, so Pub/Sub redelivers and finally dead-letters the message.
      if (error instanceof UndecodableMessageError) await recordUndecodable(runtime, subscription.state, error);
      throw error;
    }
  };
}
