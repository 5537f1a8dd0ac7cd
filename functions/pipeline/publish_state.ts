import { messageAttributes, type StageMessage } from '../../shared/schemas/messages';
import { STAGE_TABLE } from '../../shared/stages';
import type { EventBus } from '../../shared/ports/event_bus';
import type { Job } from '../../shared/schemas/job';

/** Announces the state a job is in on that state's topic; the attributes let a dead-letter handler find the job. */
export function publishState(events: EventBus, job: Pick<Job, 'id' | 'state' | 'stateEventId'>): Promise<string> {
  const message: StageMessage = { jobId: job.id, state: job.state, eventId: job.stateEventId };
  return events.publish(STAGE_TABLE[job.state].topic, message, messageAttributes(message));
}
