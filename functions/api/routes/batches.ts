import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ValidBriefSchema } from '../../../shared/domain/brief_validation';
import { newJob } from '../../../shared/domain/new_job';
import { roundUsd } from '../../../shared/domain/prices';
import { log } from '../../../shared/logging';
import { BatchSchema, type Batch } from '../../../shared/schemas/batch';
import { publishState } from '../../pipeline/publish_state';
import { admitJobs, BUDGET_REFUSAL, CreatedJobSchema, createdJobOf, estimateOf } from '../budget_admission';
import { HttpError } from '../http_error';
import { callerOf, newJobId, recordAudit } from '../job_access';
import { defineRoute } from '../route';

/** Most briefs one batch takes: its jobs are written in one atomic commit. */
export const MAX_BATCH_SIZE = 50;

const BatchViewSchema = BatchSchema.omit({ createdBy: true }).meta({ id: 'Batch' });
const CreatedBatchSchema = z
  .strictObject({
    batchId: z.string(),
    jobs: z.array(CreatedJobSchema),
    /** The jobs' estimates together. */
    estimateUsd: z.number().min(0),
    links: z.strictObject({ self: z.string() }),
  })
  .meta({ id: 'CreatedBatch' });

function batchView({ createdBy: _createdBy, ...view }: Batch) {
  return view;
}

export const createBatch = defineRoute({
  operationId: 'createBatch',
  method: 'POST',
  path: '/v1/jobs:batch',
  summary: `Submit up to ${MAX_BATCH_SIZE} briefs at once: all become jobs of one batch, their estimates set aside together, or (if any is invalid or the budget cannot take them all) none does.`,
  tag: 'jobs',
  permission: 'service:call',
  body: z.strictObject({ briefs: z.array(ValidBriefSchema).min(1).max(MAX_BATCH_SIZE) }),
  bodyErrorCode: 'invalid_brief',
  responses: { 201: { description: 'Every job was created and queued, with its estimate and reservation.', schema: CreatedBatchSchema }, ...BUDGET_REFUSAL },
  async handle(request) {
    const { runtime } = request;
    const principal = callerOf(request);
    const now = runtime.clock();
    const batchId = `batch_${randomUUID().replace(/-/g, '')}`;
    const submitted = request.body.briefs.map((brief) => ({
      ...newJob({ id: newJobId(), tenant: principal.tenant, brief, createdBy: principal, batchId }, now),
      estimate: estimateOf(runtime, brief),
    }));
    const batch: Batch = { id: batchId, tenant: principal.tenant, jobIds: submitted.map((job) => job.id), createdAt: now.toISOString(), createdBy: principal, finished: {}, completedAt: null };
    const jobs = await admitJobs(runtime, { tenant: principal.tenant, jobs: submitted, audit: [], batch });
    const published = await Promise.allSettled(jobs.map((job) => publishState(runtime.events, job)));
    const unqueued = jobs.filter((_, i) => published[i].status === 'rejected');
    if (unqueued.length === jobs.length) {
      // Nothing started: take the whole batch back (and what it set aside), as a single submission would be.
      await runtime.generative.budgets.withdraw(jobs, batch, runtime.clock());
      throw new HttpError(503, 'queue_unavailable', 'the batch could not be queued; nothing was created, try again');
    }
    // A job whose first message was lost while others went out stays SUBMITTED; the stuck-job sweeper re-publishes it.
    if (unqueued.length > 0) log('ERROR', `batch ${batchId}: ${unqueued.length} job(s) not queued yet`, { jobIds: unqueued.map((job) => job.id) });
    await recordAudit(request, 'batch.created', { type: 'batch', id: batchId }, { jobs: jobs.length });
    return {
      status: 201,
      body: {
        batchId,
        jobs: jobs.map(createdJobOf),
        estimateUsd: roundUsd(jobs.reduce((sum, job) => sum + job.estimate!.totalUsd, 0)),
        links: { self: `/v1/batches/${batchId}` },
      },
      headers: { Location: `/v1/batches/${batchId}` },
    };
  },
});

export const getBatch = defineRoute({
  operationId: 'getBatch',
  method: 'GET',
  path: '/v1/batches/{batchId}',
  summary: 'A batch: its jobs and how each one that has finished ended.',
  tag: 'jobs',
  permission: 'read:jobs',
  params: z.strictObject({ batchId: z.string().regex(/^batch_[0-9a-f]{32}$/) }),
  responses: { 200: { description: 'The batch.', schema: BatchViewSchema } },
  async handle(request) {
    const batch = await request.runtime.batches.get(request.params.batchId);
    if (batch === null || batch.tenant !== callerOf(request).tenant) throw new HttpError(404, 'not_found', `no batch ${request.params.batchId}`);
    return { status: 200, body: batchView(batch) };
  },
});
