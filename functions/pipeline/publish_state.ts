import { jobEvents, type AnnouncedJob } from '../../shared/domain/webhooks/events';
import { messageAttributes, type StageMessage } from '../../shared/schemas/messages';
import { STAGE_TABLE } from '../../shared/stages';
import type { EventBus } from '../../shared/ports/event_bus';
import { publishWebhookEvents } from './publish_webhook_events';

/**
 * Announces the state a job is in on that state's topic (the attributes let a dead-letter handler find the job), and
 * to webhooks as job events. Announcing a state again sends the same events, which webhooks receive once.
 */
export async function publishState(events: EventBus, job: AnnouncedJob): Promise<string> {
  const message: StageMessage = { jobId: job.id, state: job.state, eventId: job.stateEventId };
  const [messageId] = await Promise.all([events.publish(STAGE_TABLE[job.state].topic, message, messageAttributes(message)), publishWebhookEvents(events, jobEvents(job))]);
  return messageId;
}
