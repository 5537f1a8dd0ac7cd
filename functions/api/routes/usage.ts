import { z } from 'zod';
import { STATES } from '../../../shared/stages';
import { callerOf } from '../job_access';
import { defineRoute } from '../route';

const UsageSchema = z
  .strictObject({
    jobsByState: z.record(z.enum(STATES), z.number().int()),
    month: z.strictObject({ start: z.string(), jobs: z.number().int(), costUsd: z.number() }),
  })
  .meta({ id: 'Usage' });

export const getUsage = defineRoute({
  operationId: 'getUsage',
  method: 'GET',
  path: '/v1/usage',
  summary: "The tenant's jobs by state, and this calendar month's (UTC) jobs and cost.",
  tag: 'usage',
  permission: 'read:metrics',
  responses: { 200: { description: 'Usage figures.', schema: UsageSchema } },
  async handle(request) {
    const now = request.runtime.clock();
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
    const summary = await request.runtime.jobs.summarize(callerOf(request).tenant, start);
    return { status: 200, body: { jobsByState: summary.byState, month: { start, jobs: summary.jobsSince, costUsd: summary.costUsdSince } } };
  },
});
