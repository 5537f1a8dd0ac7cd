import { createHash } from 'node:crypto';
import { z } from 'zod';
import { applyManifestEdit, ManifestEditRequestSchema } from '../../../shared/domain/manifest_edit';
import { describeAbcd, scoreAbcd } from '../../../shared/domain/qa/abcd';
import { ManifestEditSchema, type Job } from '../../../shared/schemas/job';
import { ManifestSchema, type Manifest } from '../../../shared/schemas/manifest';
import { blobKeys } from '../../stages/blob_keys';
import { HttpError } from '../http_error';
import { callerOf, JobParamsSchema, ownJob, recordAudit } from '../job_access';
import { defineRoute } from '../route';

const StoryboardSchema = z
  .strictObject({
    jobId: z.string(),
    state: z.string(),
    /** Whether the storyboard can be edited now (only while it waits for approval). */
    editable: z.boolean(),
    etag: z.string(),
    manifest: ManifestSchema,
    edits: z.array(ManifestEditSchema),
  })
  .meta({ id: 'Storyboard' });

/** A strong validator of the storyboard's content, for If-Match. */
function etagOf(manifest: Manifest): string {
  return `"${createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 20)}"`;
}

function storyboardOf(job: Job, manifest: Manifest) {
  return { jobId: job.id, state: job.state, editable: job.state === 'WAITING_APPROVAL', etag: etagOf(manifest), manifest, edits: job.manifestEdits };
}

function manifestOfJob(job: Job): Manifest {
  if (job.manifest === null) throw new HttpError(404, 'not_found', `job ${job.id} has no storyboard yet (it is ${job.state})`);
  return job.manifest;
}

export const getManifest = defineRoute({
  operationId: 'getManifest',
  method: 'GET',
  path: '/v1/jobs/{jobId}/manifest',
  summary: "A job's storyboard, with every edit made to it.",
  tag: 'storyboard',
  permission: 'read:jobs',
  params: JobParamsSchema,
  responses: { 200: { description: 'The storyboard; its ETag goes in If-Match when editing.', schema: StoryboardSchema } },
  async handle(request) {
    const job = await ownJob(request.runtime, callerOf(request), request.params.jobId);
    const manifest = manifestOfJob(job);
    return { status: 200, body: storyboardOf(job, manifest), headers: { ETag: etagOf(manifest) } };
  },
});

export const editManifest = defineRoute({
  operationId: 'editManifest',
  method: 'PATCH',
  path: '/v1/jobs/{jobId}/manifest',
  summary: 'Edit the storyboard while it waits for approval: title, on-screen text and voiceover; everything else is locked.',
  tag: 'storyboard',
  permission: 'update:job',
  params: JobParamsSchema,
  body: ManifestEditRequestSchema,
  bodyErrorCode: 'invalid_edit',
  responses: { 200: { description: 'The edited storyboard (an edit that changes nothing is kept out of the history).', schema: StoryboardSchema } },
  async handle(request) {
    const { runtime, body } = request;
    const principal = callerOf(request);
    const { jobId } = request.params;
    await ownJob(runtime, principal, jobId);
    const ifMatch = request.headers['if-match'];
    const outcome = await runtime.jobs.update(jobId, (job) => {
      if (job.state !== 'WAITING_APPROVAL') throw new HttpError(409, 'not_editable', `the storyboard can be edited only while it waits for approval; the job is ${job.state}`);
      const current = manifestOfJob(job);
      if (ifMatch !== undefined && ifMatch !== etagOf(current)) {
        throw new HttpError(412, 'storyboard_changed', 'the storyboard changed since you read it; read it again and reapply your edit');
      }
      const edited = applyManifestEdit(current, body);
      if (!edited.ok) throw new HttpError(422, 'invalid_edit', 'the edit cannot be applied', edited.issues);
      if (edited.changes.length === 0) return { job: null, result: { job, manifest: current, changes: 0 } };
      // The edited storyboard must still pass the review it passed before, so approving it cannot fail QA later.
      const review = scoreAbcd({ brief: job.brief, manifest: edited.manifest, bar: job.preset?.qualityBar ?? 0 });
      if (!review.passed) {
        throw new HttpError(422, 'edit_fails_review', `the edited storyboard would be ${describeAbcd(review)}`, review.missing.map((feature) => ({ field: 'manifest', message: `missing ${feature}` })));
      }
      const at = runtime.clock().toISOString();
      const updated: Job = {
        ...job,
        manifest: edited.manifest,
        manifestEdits: [...job.manifestEdits, { at, by: principal, changes: edited.changes }],
        storyboardReviews: [...job.storyboardReviews, { at, score: review.score, bar: review.bar, passed: true, missing: review.missing }],
        updatedAt: at,
      };
      return { job: updated, result: { job: updated, manifest: edited.manifest, changes: edited.changes.length } };
    });
    if (outcome.changes > 0) {
      // Reviewers read the storyboard file the approval request points at: keep it the edited one.
      await runtime.blobs.putBytes(blobKeys.storyboard(jobId), Buffer.from(JSON.stringify(outcome.manifest, null, 2)), 'application/json');
      await recordAudit(request, 'storyboard.edited', { type: 'job', id: jobId }, { changes: outcome.changes });
    }
    return { status: 200, body: storyboardOf(outcome.job, outcome.manifest), headers: { ETag: etagOf(outcome.manifest) } };
  },
});
