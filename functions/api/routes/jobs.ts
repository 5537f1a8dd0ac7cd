import { z } from 'zod';
import { ValidBriefSchema } from '../../../shared/domain/brief_validation';
import { parseJobFilters } from '../../../shared/domain/job_filters';
import { newJob } from '../../../shared/domain/new_job';
import { log } from '../../../shared/logging';
import { STAGE_TABLE, STATES } from '../../../shared/stages';
import { blobKeys } from '../../stages/blob_keys';
import { publishState } from '../../pipeline/publish_state';
import { HttpError } from '../http_error';
import { admitJobs, BUDGET_REFUSAL, CreatedJobSchema, createdJobOf, estimateOf } from '../budget_admission';
import { auditEntryOf, callerOf, JobIdSchema, JobParamsSchema, moveJob, newJobId, ownJob, recordAudit } from '../job_access';
import { pageAt, pageLimit, repeated } from '../query_params';
import { defineRoute } from '../route';
import { JobViewSchema, jobView, linksOf, pageSchema } from '../views';

const UNFINISHED_STATES = STATES.filter((state) => !STAGE_TABLE[state].terminal);

export const createJob = defineRoute({
  operationId: 'createJob',
  method: 'POST',
  path: '/v1/jobs',
  summary: "Submit a brief; it becomes a job that starts at once, its estimate set aside of the tenant's monthly budget.",
  tag: 'jobs',
  permission: 'create:job',
  body: ValidBriefSchema,
  bodyErrorCode: 'invalid_brief',
  responses: { 201: { description: 'The job was created and queued, with its estimate and reservation.', schema: CreatedJobSchema }, ...BUDGET_REFUSAL },
  async handle(request) {
    const { runtime } = request;
    const principal = callerOf(request);
    const submitted = newJob({ id: newJobId(), tenant: principal.tenant, brief: request.body, createdBy: principal }, runtime.clock());
    const audit = auditEntryOf(request, 'job.created', { type: 'job', id: submitted.id }, { preset: submitted.brief.preset });
    const [job] = await admitJobs(runtime, { tenant: principal.tenant, jobs: [{ ...submitted, estimate: estimateOf(runtime, request.body) }], audit: [audit] });
    try {
      await publishState(runtime.events, job);
    } catch (error) {
      // Without its message the job would never start: take it back (and what it set aside) rather than leave it stranded.
      await runtime.generative.budgets.withdraw([job], null, runtime.clock());
      await recordAudit(request, 'job.withdrawn', { type: 'job', id: job.id }, { reason: 'could not be queued' });
      log('ERROR', `could not queue job: ${(error as Error).message}`, { jobId: job.id });
      throw new HttpError(503, 'queue_unavailable', 'the job could not be queued; nothing was created, try again');
    }
    return { status: 201, body: createdJobOf(job), headers: { Location: linksOf(job).self } };
  },
});

export const getJob = defineRoute({
  operationId: 'getJob',
  method: 'GET',
  path: '/v1/jobs/{jobId}',
  summary: 'A job, with its storyboard, history, costs, QA reports and outputs.',
  tag: 'jobs',
  permission: 'read:jobs',
  params: JobParamsSchema,
  responses: { 200: { description: 'The job.', schema: JobViewSchema } },
  async handle(request) {
    return { status: 200, body: jobView(await ownJob(request.runtime, callerOf(request), request.params.jobId)) };
  },
});

export const ListJobsQuerySchema = z.strictObject({
  /** Repeatable: field:op:value, fields state, preset, createdAt, costUsd; ops = != < <= > >= in not-in. */
  filter: repeated.meta({ description: 'field:op:value (fields state, preset, createdAt, costUsd; ops = != < <= > >= in not-in); repeat to combine' }),
  limit: pageLimit(100, 20),
  cursor: JobIdSchema.optional().meta({ description: 'nextCursor of the previous page' }),
});

export const listJobs = defineRoute({
  operationId: 'listJobs',
  method: 'GET',
  path: '/v1/jobs',
  summary: "The tenant's jobs, newest first, filtered and a page at a time.",
  tag: 'jobs',
  permission: 'read:jobs',
  query: ListJobsQuerySchema,
  responses: { 200: { description: 'One page of jobs.', schema: pageSchema(JobViewSchema).meta({ id: 'JobPage' }) } },
  async handle(request) {
    const { runtime, query } = request;
    const filters = parseJobFilters(query.filter);
    if (!filters.ok) throw new HttpError(400, 'invalid_query', 'the filters are not valid', filters.issues);
    const page = await pageAt(runtime.jobs.list({ tenant: callerOf(request).tenant, filters: filters.filters, limit: query.limit, after: query.cursor }));
    return { status: 200, body: { items: page.items.map(jobView), nextCursor: page.next } };
  },
});

export const cancelJob = defineRoute({
  operationId: 'cancelJob',
  method: 'POST',
  path: '/v1/jobs/{jobId}/cancel',
  summary: 'Stop a job that has not finished; what it made so far is removed.',
  tag: 'jobs',
  permission: 'update:job',
  params: JobParamsSchema,
  responses: { 200: { description: 'The job, cancelled (cancelling twice is harmless).', schema: JobViewSchema } },
  async handle(request) {
    const { runtime } = request;
    const principal = callerOf(request);
    const job = await ownJob(runtime, principal, request.params.jobId);
    const cancelled = await moveJob(runtime, job, {
      to: 'CANCELLED',
      reason: `cancelled by ${principal.kind} ${principal.id}`,
      from: UNFINISHED_STATES,
      conflictCode: 'already_finished',
      alreadyDone: (current) => current.state === 'CANCELLED',
    });
    if (job.state !== 'CANCELLED') await recordAudit(request, 'job.cancelled', { type: 'job', id: job.id }, { from: job.state });
    return { status: 200, body: jobView(cancelled) };
  },
});

export const eraseJob = defineRoute({
  operationId: 'eraseJob',
  method: 'DELETE',
  path: '/v1/jobs/{jobId}',
  summary: 'Erase a finished job for good (GDPR): its document, files, cost ledger and webhook deliveries; an audit entry remains.',
  tag: 'jobs',
  permission: 'delete:job',
  params: JobParamsSchema,
  responses: { 204: { description: 'The job and everything it made are gone.' } },
  async handle(request) {
    const { runtime } = request;
    const job = await ownJob(runtime, callerOf(request), request.params.jobId);
    // A running stage could still write files after the erase: only a finished job can be erased completely.
    if (!STAGE_TABLE[job.state].terminal || job.completedAt === null) {
      throw new HttpError(409, 'job_not_finished', `job is ${job.state} and still working; cancel it first, then erase it once it has closed`);
    }
    // Files first: if the erase is interrupted, the job is still there to erase again.
    await runtime.blobs.deletePrefix(blobKeys.jobFolder(job.id));
    // Webhook deliveries carry the job's events, so they go with it.
    await runtime.webhookDeliveries.eraseJob(job.tenant, job.id);
    await runtime.jobs.delete(job.id);
    await recordAudit(request, 'job.erased', { type: 'job', id: job.id }, { state: job.state });
    return { status: 204, body: undefined };
  },
});
