import { Cron } from 'croner';
import { z } from 'zod';
import type { ServiceName, ServiceSchedule } from '../../shared/stages';

/** One firing of a schedule: the time it was due, and the key its work is recorded under. */
export interface Firing {
  service: ServiceName;
  scheduledAt: Date;
  key: string;
}

/**
 * What a scheduled topic carries. Cloud Scheduler publishes the fixed body Terraform gives it ({service}); the local
 * scheduler adds the time the firing was due.
 */
export const FiringMessageSchema = z.object({
  service: z.string().optional(),
  scheduledAt: z.iso.datetime().optional(),
});

/** Publishing may lag the scheduled time, and clocks differ: a publish this early still belongs to the next firing. */
const CLOCK_SLACK_MS = 1_000;

/** The firing a message belongs to: its own scheduledAt, else the latest scheduled time at or before its publish time. */
export function firingOf(service: ServiceName, schedule: ServiceSchedule, body: z.infer<typeof FiringMessageSchema>, publishTime: Date): Firing {
  const scheduledAt = body.scheduledAt !== undefined ? new Date(body.scheduledAt) : latestFiring(schedule, publishTime);
  return { service, scheduledAt, key: `${service}@${scheduledAt.toISOString()}` };
}

function latestFiring(schedule: ServiceSchedule, publishTime: Date): Date {
  const cron = new Cron(schedule.cron, { timezone: schedule.timeZone, paused: true });
  try {
    const [previous] = cron.previousRuns(1, new Date(publishTime.getTime() + CLOCK_SLACK_MS));
    if (previous === undefined) throw new Error(`schedule "${schedule.cron}" never fired before ${publishTime.toISOString()}`);
    return previous;
  } finally {
    cron.stop();
  }
}
