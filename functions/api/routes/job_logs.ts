import { z } from 'zod';
import { FailureSchema, JobSchema } from '../../../shared/schemas/job';
import { callerOf, JobParamsSchema, ownJob } from '../job_access';
import { defineRoute } from '../route';

const JobLogSchema = JobSchema.pick({ id: true, state: true, stateHistory: true, timings: true, storyboardReviews: true, manifestEdits: true, pauses: true, error: true })
  .extend({ lastFailure: FailureSchema.nullable() })
  .meta({ id: 'JobLog' });

export const getJobLog = defineRoute({
  operationId: 'getJobLog',
  method: 'GET',
  path: '/v1/jobs/{jobId}/logs',
  summary: "What happened to a job: every transition with its reason, each stage's timing and attempts, reviews, edits, budget pauses and the last failure.",
  tag: 'jobs',
  permission: 'read:logs',
  params: JobParamsSchema,
  responses: { 200: { description: "The job's log.", schema: JobLogSchema } },
  async handle(request) {
    const job = await ownJob(request.runtime, callerOf(request), request.params.jobId);
    const log: z.infer<typeof JobLogSchema> = {
      id: job.id,
      state: job.state,
      stateHistory: job.stateHistory,
      timings: job.timings,
      storyboardReviews: job.storyboardReviews,
      manifestEdits: job.manifestEdits,
      pauses: job.pauses,
      error: job.error,
      lastFailure: job.lastFailure,
    };
    return { status: 200, body: log };
  },
});
