import { z } from 'zod';
import { JobSchema, type Job } from '../../shared/schemas/job';

/** What a client sees of a job: everything but the platform's own bookkeeping (leases, settled work, render plan). */
export const JobViewSchema = JobSchema.pick({
  id: true,
  tenant: true,
  createdBy: true,
  batchId: true,
  state: true,
  brief: true,
  preset: true,
  manifest: true,
  manifestEdits: true,
  storyboardReviews: true,
  stateHistory: true,
  timings: true,
  costLedger: true,
  totalCostUsd: true,
  estimate: true,
  costDifferenceUsd: true,
  reservation: true,
  budgetSettlement: true,
  pauses: true,
  providerEvents: true,
  qa: true,
  outputs: true,
  approval: true,
  error: true,
  createdAt: true,
  updatedAt: true,
  completedAt: true,
}).meta({ id: 'Job' });
export type JobView = z.infer<typeof JobViewSchema>;

export function jobView(job: Job): JobView {
  const view: Record<string, unknown> = {};
  for (const key of Object.keys(JobViewSchema.shape)) view[key] = job[key as keyof Job];
  return view as JobView;
}

export function linksOf(job: Pick<Job, 'id'>) {
  return { self: `/v1/jobs/${job.id}`, manifest: `/v1/jobs/${job.id}/manifest`, export: `/v1/jobs/${job.id}/export` };
}

export const LinksSchema = z.strictObject({ self: z.string(), manifest: z.string(), export: z.string() });

/** A page of a list and the cursor to the next one. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.strictObject({ items: z.array(item), nextCursor: z.string().nullable() });
}
