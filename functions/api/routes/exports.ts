import { Readable } from 'node:stream';
import { z } from 'zod';
import { parseJobFilters } from '../../../shared/domain/job_filters';
import type { Job } from '../../../shared/schemas/job';
import type { Runtime } from '../../runtime';
import { blobKeys } from '../../stages/blob_keys';
import { csvRow } from '../csv';
import { HttpError } from '../http_error';
import { callerOf, JobParamsSchema, ownJob, recordAudit } from '../job_access';
import { repeated } from '../query_params';
import { defineRoute } from '../route';
import { jobView } from '../views';
import { zipStream, type ZipEntry } from '../zip_stream';

/** Most jobs one export lists: beyond this, narrow it with filters. */
export const MAX_EXPORT_JOBS = 10_000;
const EXPORT_PAGE = 200;

const CSV_COLUMNS = ['id', 'state', 'preset', 'brand', 'product', 'durationSec', 'aspectRatios', 'createdAt', 'completedAt', 'totalCostUsd', 'error'] as const;

function csvLine(job: Job): string {
  return csvRow([
    job.id,
    job.state,
    job.brief.preset,
    job.brief.brand.name,
    job.brief.product,
    job.brief.durationSec,
    job.brief.aspectRatios.join(' '),
    job.createdAt,
    job.completedAt,
    job.totalCostUsd,
    job.error?.reason ?? null,
  ]);
}

async function* tenantJobs(runtime: Runtime, tenant: string, filters: ReturnType<typeof parseJobFilters> & { ok: true }): AsyncGenerator<Job> {
  let after: string | undefined;
  let count = 0;
  do {
    const page = await runtime.jobs.list({ tenant, filters: filters.filters, limit: EXPORT_PAGE, after });
    for (const job of page.items) {
      if (count++ >= MAX_EXPORT_JOBS) return;
      yield job;
    }
    after = page.next ?? undefined;
  } while (after !== undefined);
}

async function* csvLines(jobs: AsyncGenerator<Job>): AsyncGenerator<string> {
  yield csvRow([...CSV_COLUMNS]);
  for await (const job of jobs) yield csvLine(job);
}

async function* jsonLines(jobs: AsyncGenerator<Job>): AsyncGenerator<string> {
  yield '{"items":[';
  let first = true;
  for await (const job of jobs) {
    yield `${first ? '' : ','}${JSON.stringify(jobView(job))}`;
    first = false;
  }
  yield ']}';
}

export const exportJobs = defineRoute({
  operationId: 'exportJobs',
  method: 'GET',
  path: '/v1/exports/jobs',
  summary: `The tenant's jobs as one CSV or JSON file (newest first, at most ${MAX_EXPORT_JOBS}), with the list's filters.`,
  tag: 'exports',
  permission: 'read:results',
  query: z.strictObject({ format: z.enum(['csv', 'json']).default('csv'), filter: repeated }),
  responses: { 200: { description: 'The file.', contentTypes: ['text/csv', 'application/json'] } },
  async handle(request) {
    const { runtime, query } = request;
    const filters = parseJobFilters(query.filter);
    if (!filters.ok) throw new HttpError(400, 'invalid_query', 'the filters are not valid', filters.issues);
    const jobs = tenantJobs(runtime, callerOf(request).tenant, filters);
    const csv = query.format === 'csv';
    await recordAudit(request, 'jobs.exported', null, { format: query.format, filters: query.filter.join(' ') });
    return {
      status: 200,
      contentType: csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      stream: Readable.from(csv ? csvLines(jobs) : jsonLines(jobs)),
      headers: { 'Content-Disposition': `attachment; filename="jobs.${query.format}"` },
    };
  },
});

export const exportJob = defineRoute({
  operationId: 'exportJob',
  method: 'GET',
  path: '/v1/jobs/{jobId}/export',
  summary: 'A delivered job as one ZIP: its videos, posters, storyboards, subtitles, QA report, storyboard and receipt.',
  tag: 'exports',
  permission: 'read:results',
  params: JobParamsSchema,
  responses: { 200: { description: 'The ZIP archive.', contentTypes: ['application/zip'] } },
  async handle(request) {
    const { runtime } = request;
    const job = await ownJob(runtime, callerOf(request), request.params.jobId);
    if (job.state !== 'DELIVERED') throw new HttpError(409, 'not_delivered', `job is ${job.state}; only a delivered job can be exported`);
    const delivered = await runtime.blobs.list(blobKeys.deliveryFolder(job.id));
    const json = (name: string, value: unknown): ZipEntry => ({ name, open: () => Readable.from([Buffer.from(JSON.stringify(value, null, 2))]) });
    const entries: ZipEntry[] = [
      ...delivered.map((key) => ({ name: key.slice(blobKeys.deliveryFolder(job.id).length + 1), open: () => runtime.blobs.openRead(key) })),
      json('qa-report.json', job.qa),
      json('storyboard.json', job.manifest),
    ];
    await recordAudit(request, 'job.exported', { type: 'job', id: job.id }, { files: entries.length });
    return {
      status: 200,
      contentType: 'application/zip',
      stream: zipStream(entries),
      headers: { 'Content-Disposition': `attachment; filename="${job.id}.zip"` },
    };
  },
});
