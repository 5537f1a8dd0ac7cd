import { randomUUID } from 'node:crypto';
import { validateBrief } from '../../shared/domain/brief_validation';
import { newJob } from '../../shared/domain/new_job';
import { applyTransition } from '../../shared/domain/transitions';
import { log } from '../../shared/logging';
import type { Job } from '../../shared/schemas/job';
import { publishState } from '../pipeline/publish_state';
import type { Runtime } from '../runtime';
import { HttpError } from './http_error';

export interface ApiResult {
  status: number;
  body: unknown;
}

/** What a client sees of a job. */
function jobView(job: Job) {
  return {
    id: job.id,
    state: job.state,
    brief: job.brief,
    preset: job.preset,
    manifest: job.manifest,
    stateHistory: job.stateHistory,
    timings: job.timings,
    costLedger: job.costLedger,
    totalCostUsd: job.totalCostUsd,
    qa: job.qa,
    outputs: job.outputs,
    approval: job.approval,
    error: job.error,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    completedAt: job.completedAt,
  };
}

/** POST /v1/jobs: a valid brief becomes a SUBMITTED job and its first message; an invalid one writes nothing. */
export async function createJob(runtime: Runtime, body: unknown): Promise<ApiResult> {
  const validation = validateBrief(body);
  if (!validation.ok) throw new HttpError(400, 'invalid_brief', 'the brief has invalid fields', validation.issues);
  const job = newJob(`job_${randomUUID().replace(/-/g, '')}`, runtime.tenant, validation.brief, runtime.clock());
  await runtime.jobs.create(job);
  try {
    await publishState(runtime.events, job);
  } catch (error) {
    // Without its message the job would never start: take it back rather than leave it stranded.
    await runtime.jobs.delete(job.id);
    log('ERROR', `could not queue job: ${(error as Error).message}`, { jobId: job.id });
    throw new HttpError(503, 'queue_unavailable', 'the job could not be queued; nothing was created, try again');
  }
  return { status: 201, body: { id: job.id, state: job.state, links: { self: `/v1/jobs/${job.id}` } } };
}

async function ownJob(runtime: Runtime, id: string): Promise<Job> {
  const job = /^job_[0-9a-f]{32}$/.test(id) ? await runtime.jobs.get(id) : null;
  if (job === null || job.tenant !== runtime.tenant) throw new HttpError(404, 'not_found', `no job ${id}`);
  return job;
}

/** GET /v1/jobs/:id */
export async function getJob(runtime: Runtime, id: string): Promise<ApiResult> {
  return { status: 200, body: jobView(await ownJob(runtime, id)) };
}

/** POST /v1/jobs/:id/approve: moves a job waiting for approval on to rendering; approving twice is harmless. */
export async function approveJob(runtime: Runtime, id: string): Promise<ApiResult> {
  await ownJob(runtime, id);
  const moved = await runtime.jobs.update(id, (job) => {
    const last = job.stateHistory[job.stateHistory.length - 1];
    if (job.state === 'RENDERING' && last.from === 'WAITING_APPROVAL') return { job: null, result: null };
    if (job.state !== 'WAITING_APPROVAL') throw new HttpError(409, 'not_waiting_for_approval', `job is ${job.state}, not WAITING_APPROVAL`);
    const now = runtime.clock();
    const withDecision = { ...job, approval: job.approval && { ...job.approval, decidedAt: now.toISOString() } };
    const { job: next } = applyTransition(withDecision, { to: 'RENDERING', reason: 'storyboard approved', causeEventId: job.stateEventId }, now);
    return { job: next, result: next };
  });
  if (moved !== null) await publishState(runtime.events, moved);
  const job = await ownJob(runtime, id);
  return { status: 200, body: jobView(job) };
}
