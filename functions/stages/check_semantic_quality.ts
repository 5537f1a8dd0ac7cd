import { JobFailure } from '../../shared/domain/errors';
import { failedChecks, reviewManifest } from '../../shared/domain/qa/semantic_review';
import type { Rendition } from '../../shared/schemas/job';
import type { StageWork } from '../pipeline/stage_work';
import { blobKeys, slugify } from './blob_keys';
import { manifestOf, presetOf } from './job_parts';

/** Scores the ad against its brief and, when it passes, delivers every rendition under its final name. */
export const checkSemanticQuality: StageWork = async ({ job, runtime }) => {
  const preset = presetOf(job);
  const report = reviewManifest(job.brief, manifestOf(job), preset.qualityBar);
  const qa = { ...job.qa, semantic: report };
  if (!report.passed) throw new JobFailure(`semantic QA scored ${report.score} (bar ${preset.qualityBar}); failed: ${failedChecks(report)}`, { qa });
  const slug = slugify(`${job.brief.brand.name}-${job.brief.durationSec}s`);
  const videos: Rendition[] = [];
  for (const rendition of job.renditions) {
    const blobKey = blobKeys.delivery(job.id, slug, rendition.aspectRatio);
    const uri = await runtime.blobs.copy(rendition.blobKey, blobKey);
    videos.push({ ...rendition, blobKey, uri });
  }
  return {
    kind: 'advance',
    next: 'DELIVERED',
    reason: `semantic QA scored ${report.score} (bar ${preset.qualityBar}); delivered ${videos.length} file(s)`,
    patch: { qa, outputs: { ...job.outputs, videos } },
  };
};
