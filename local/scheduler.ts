import { Cron } from 'croner';
import { log } from '../shared/logging';
import type { EventBus } from '../shared/ports/event_bus';
import { SERVICE_TABLE, SERVICES, type ServiceName, type ServiceSchedule } from '../shared/stages';

export interface ScheduledTopic {
  service: ServiceName;
  topic: string;
  schedule: ServiceSchedule;
}

/** Every scheduled entry of the service table. */
export function scheduledTopics(): ScheduledTopic[] {
  return SERVICES.flatMap((service) => {
    const { topic, schedule } = SERVICE_TABLE[service];
    return schedule === undefined ? [] : [{ service, topic, schedule }];
  });
}

/**
 * What Cloud Scheduler does for the scheduled services, while the local platform runs: at every firing of an
 * entry's cron, publishes a firing message to its topic. Unlike Cloud Scheduler it also says when the firing was
 * due, so a delayed publish still names its own firing.
 */
export class LocalScheduler {
  private readonly jobs: Cron[];

  constructor(events: EventBus, entries: ScheduledTopic[] = scheduledTopics()) {
    this.jobs = entries.map(
      ({ service, topic, schedule }) =>
        new Cron(schedule.cron, { timezone: schedule.timeZone }, async (job: Cron) => {
          const scheduledAt = (job.currentRun() ?? new Date()).toISOString();
          try {
            await events.publish(topic, { service, scheduledAt }, { service });
          } catch (error) {
            // As with Cloud Scheduler, a failed firing is reported and the next one tried.
            log('ERROR', `could not publish the ${service} firing due at ${scheduledAt}: ${(error as Error).message}`, { service });
          }
        }),
    );
  }

  stop(): void {
    for (const job of this.jobs) job.stop();
  }
}
