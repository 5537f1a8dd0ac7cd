import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { JobFailure } from '../../shared/domain/errors';
import { VIDEO_FORMATS } from '../../shared/domain/formats';
import { rerenderableFaults, rerenderCanFix, reviewMedia, summarizeReport, technicalReport } from '../../shared/domain/qa/technical_review';
import type { MediaAnalysisRecord, QaCheck } from '../../shared/schemas/job';
import type { StageRun } from '../pipeline/stage_work';
import { ratioSlug } from './blob_keys';

/** Automatic re-renders a job gets for faults a new render can fix, before technical QA fails it. */
export const MAX_AUTOMATIC_RERENDERS = 1;

/**
 * Probes and analyses every rendered file (one decoding pass each, with its voice track): format, codecs, bit rate,
 * loudness and true peak, black, frozen and silent stretches. A failure a re-render can fix sends the job back to
 * RENDERING once; any other failure ends it with the reasons.
 */
export const checkTechnicalQuality: StageRun = async ({ job, eventId, runtime }) => {
  if (job.renditions.length === 0) throw new JobFailure('nothing was rendered to check');
  const workDir = path.join(runtime.scratchDir, job.id, eventId, 'qa-tech');
  await mkdir(workDir, { recursive: true });
  try {
    const plannedLines = job.render?.voice.map((line) => ({ startSec: line.startSec, endSec: line.startSec + line.durationSec }));
    const checks: QaCheck[] = [];
    const analyses: MediaAnalysisRecord[] = [];
    for (const rendition of job.renditions) {
      const slug = ratioSlug(rendition.aspectRatio);
      const videoPath = path.join(workDir, `${slug}.mp4`);
      const voicePath = path.join(workDir, `${slug}-voice.wav`);
      await Promise.all([runtime.blobs.getFile(rendition.blobKey, videoPath), runtime.blobs.getFile(rendition.voiceTrackKey, voicePath)]);
      const [info, analysis] = await Promise.all([runtime.prober.probe(videoPath), runtime.analyzer.analyze(videoPath, voicePath)]);
      checks.push(...reviewMedia(info, VIDEO_FORMATS[rendition.aspectRatio], job.brief.durationSec, analysis, plannedLines));
      analyses.push({ aspectRatio: rendition.aspectRatio, ...analysis });
    }
    const report = technicalReport(checks);
    const qa = { ...job.qa, tech: report, analyses };
    if (report.passed) {
      return { kind: 'advance', next: 'QA_SEMANTIC', reason: `technical QA passed ${checks.length} checks over ${job.renditions.length} file(s)`, patch: { qa } };
    }
    const rerenders = job.stateHistory.filter((entry) => entry.from === 'QA_TECH' && entry.to === 'RENDERING').length;
    const summary = summarizeReport(report).split('\n').filter((line) => line.startsWith('FAIL')).join('; ');
    if (rerenderCanFix(report) && rerenders < MAX_AUTOMATIC_RERENDERS) {
      return { kind: 'advance', next: 'RENDERING', reason: `technical QA failed on ${rerenderableFaults(report).join(', ')}; re-rendering once: ${summary}`, patch: { qa } };
    }
    throw new JobFailure(`technical QA failed: ${summary}`, { qa });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
};
