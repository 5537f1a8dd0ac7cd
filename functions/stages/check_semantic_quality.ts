import { JobFailure } from '../../shared/domain/errors';
import { plannedSupers, scoreAbcd, toQaReport, type AbcdReport } from '../../shared/domain/qa/abcd';
import type { QaCheck } from '../../shared/schemas/job';
import type { StageRun } from '../pipeline/stage_work';
import { deliverOutputs } from './deliver_outputs';
import { manifestOf, presetOf } from './job_parts';

/**
 * Scores every delivered format on the ABCD rubric, confirming the storyboard on what QA_TECH measured (speech
 * onset, shot changes) and on when the render showed each super; the weakest format decides. When it passes,
 * every deliverable is copied under its final name.
 */
export const checkSemanticQuality: StageRun = async ({ job, runtime }) => {
  const preset = presetOf(job);
  const manifest = manifestOf(job);
  const analyses = job.qa.analyses ?? [];
  if (analyses.length === 0) throw new JobFailure('no media analysis to confirm the ABCD features on');
  const reports = analyses.map((analysis) => ({
    aspectRatio: analysis.aspectRatio,
    report: scoreAbcd({
      brief: job.brief,
      manifest,
      bar: preset.qualityBar,
      media: { ...analysis, supersShown: plannedSupers(manifest) },
    }),
  }));
  const weakest = reports.reduce((low, entry) => (entry.report.score < low.report.score ? entry : low));
  const checks: QaCheck[] = reports.flatMap(({ aspectRatio, report }) => report.checks.map((check) => ({ ...check, subject: `${aspectRatio} ${check.subject ?? ''}`.trim() })));
  const semantic = { ...toQaReport(weakest.report), checks };
  const qa = { ...job.qa, semantic };
  const summary = (report: AbcdReport) => `ABCD ${report.score} (bar ${report.bar})`;
  if (!weakest.report.passed) {
    throw new JobFailure(`semantic QA: ${weakest.aspectRatio} scored ${summary(weakest.report)}; missing ${weakest.report.missing.join(', ')}`, { qa });
  }
  const outputs = await deliverOutputs(runtime, job);
  return {
    kind: 'advance',
    next: 'DELIVERED',
    reason: `semantic QA ${reports.map(({ aspectRatio, report }) => `${aspectRatio} ${summary(report)}`).join(', ')}; delivered ${outputs.videos.length} video(s)`,
    patch: { qa, outputs },
  };
};
