import type { StageRun } from '../pipeline/stage_work';
import { blobKeys } from './blob_keys';
import { manifestOf } from './job_parts';

/** Files the storyboard for review; a person's approve or reject call moves the job on. */
export const requestApproval: StageRun = async ({ job, runtime }) => {
  const key = blobKeys.storyboard(job.id);
  const storyboardUri = await runtime.blobs.putBytes(key, Buffer.from(JSON.stringify(manifestOf(job), null, 2)), 'application/json');
  return {
    kind: 'settle',
    reason: 'storyboard awaiting approval',
    patch: { approval: { requestedAt: runtime.clock().toISOString(), storyboardUri } },
  };
};
