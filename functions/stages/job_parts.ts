import { JobFailure } from '../../shared/domain/errors';
import type { Job } from '../../shared/schemas/job';
import type { Manifest } from '../../shared/schemas/manifest';
import type { Preset } from '../../shared/schemas/preset';

/** The preset a stage needs; its absence means the job skipped sanitising, which no retry can mend. */
export function presetOf(job: Job): Preset {
  if (job.preset === null) throw new JobFailure(`job reached ${job.state} without a resolved preset`);
  return job.preset;
}

export function manifestOf(job: Job): Manifest {
  if (job.manifest === null) throw new JobFailure(`job reached ${job.state} without a storyboard`);
  return job.manifest;
}
