import { z } from 'zod';
import { BudgetRefusedError } from '../../shared/domain/budget';
import { estimateJob } from '../../shared/domain/estimate';
import type { JobAdmission } from '../../shared/ports/tenant_budgets';
import type { Brief } from '../../shared/schemas/brief';
import type { Job } from '../../shared/schemas/job';
import { PRESETS } from '../../shared/schemas/preset';
import { JobEstimateSchema } from '../../shared/schemas/providers';
import { ReservationSchema } from '../../shared/schemas/tenant';
import type { Runtime } from '../runtime';
import { ErrorBodySchema, HttpError } from './http_error';
import type { ResponseSpec } from './route';
import { LinksSchema, linksOf } from './views';

/** What a brief is expected to cost from its preset and the configured provider models (offline: function time only). */
export function estimateOf(runtime: Runtime, brief: Brief) {
  return estimateJob({ brief, preset: PRESETS[brief.preset], models: runtime.generative.models });
}

/** The answer a submission gets when its tenant's budget cannot take it. */
export const BUDGET_REFUSAL: Record<number, ResponseSpec> = {
  402: {
    description: "The tenant's monthly budget cannot take this: `budget_exceeded` (the estimate is more than what is left) or `budget_exhausted` (the budget is used up and queued work is paused). Nothing was created.",
    schema: ErrorBodySchema,
  },
};

/** Writes new jobs with their estimates reserved against the tenant's budget; a budget that cannot take them is 402. */
export async function admitJobs(runtime: Runtime, admission: JobAdmission): Promise<Job[]> {
  try {
    return await runtime.generative.budgets.admit(admission, runtime.clock());
  } catch (error) {
    if (error instanceof BudgetRefusedError) throw new HttpError(402, error.code, error.message);
    throw error;
  }
}

export const CreatedJobSchema = z
  .strictObject({
    id: z.string(),
    state: z.string(),
    links: LinksSchema,
    /** What the job is expected to cost, line by line. */
    estimate: JobEstimateSchema,
    /** What it set aside of the tenant's monthly budget; null when the tenant has no budget. */
    reservation: ReservationSchema.nullable(),
  })
  .meta({ id: 'CreatedJob' });

export function createdJobOf(job: Job): z.infer<typeof CreatedJobSchema> {
  return { id: job.id, state: job.state, links: linksOf(job), estimate: job.estimate!, reservation: job.reservation };
}
