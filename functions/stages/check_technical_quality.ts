import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { JobFailure } from '../../shared/domain/errors';
import { VIDEO_FORMATS } from '../../shared/domain/formats';
import { reviewMedia, technicalReport } from '../../shared/domain/qa/technical_review';
import type { StageWork } from '../pipeline/stage_work';
import { manifestOf } from './job_parts';

/** Probes every rendered file against its format and the ordered duration. */
export const checkTechnicalQuality: StageWork = async ({ job, eventId, runtime }) => {
  const manifest = manifestOf(job);
  if (job.renditions.length === 0) throw new JobFailure('nothing was rendered to check');
  const workDir = path.join(runtime.scratchDir, job.id, eventId);
  await mkdir(workDir, { recursive: true });
  try {
    const checks = [];
    for (const rendition of job.renditions) {
      const localPath = path.join(workDir, `${rendition.aspectRatio.replace(':', 'x')}.mp4`);
      await runtime.blobs.getFile(rendition.blobKey, localPath);
      const info = await runtime.prober.probe(localPath);
      checks.push(...reviewMedia(info, VIDEO_FORMATS[rendition.aspectRatio], job.brief.durationSec));
    }
    const report = technicalReport(checks);
    const failures = checks.filter((c) => !c.passed).map((c) => `${c.subject} ${c.name} ${c.value} (expected ${c.expected})`);
    const qa = { ...job.qa, tech: report };
    if (!report.passed) throw new JobFailure(`technical QA failed: ${failures.join('; ')}`, { qa });
    return {
      kind: 'advance',
      next: 'QA_SEMANTIC',
      reason: `technical QA passed ${checks.length} checks over ${job.renditions.length} file(s) of ${manifest.durationSec} s`,
      patch: { qa },
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
};
