import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { JobFailure } from '../../shared/domain/errors';
import { deliveryEntries } from '../../shared/domain/prices';
import { judgeQuestions, mergeJudgement, plannedSupers, scoreAbcd, toQaReport, type AbcdReport } from '../../shared/domain/qa/abcd';
import type { ProviderSession } from '../../shared/domain/resilience/provider_session';
import type { AspectRatio } from '../../shared/schemas/brief';
import type { Job, QaCheck } from '../../shared/schemas/job';
import type { JudgeReport } from '../../shared/schemas/providers';
import type { StageRun } from '../pipeline/stage_work';
import type { Runtime } from '../runtime';
import { ratioSlug } from './blob_keys';
import { deliveredBytes, deliverOutputs } from './deliver_outputs';
import { manifestOf, presetOf } from './job_parts';
import { providerSession, withFallback } from './provider_work';

/** Whether any scene's pictures were generated (a keyframe or a clip), rather than all drawn offline. */
function hasGeneratedVisuals(job: Job): boolean {
  return Object.values(job.render?.sources ?? {}).some((source) => source.blobKey !== null);
}

/**
 * The video judge's view of one format, merged into its measured report; the measured report alone when there is
 * no judge or it cannot be used this time.
 */
async function judged(runtime: Runtime, session: ProviderSession, job: Job, aspectRatio: AspectRatio, report: AbcdReport, workDir: string) {
  const judge = runtime.generative.providers.judge;
  const rendition = job.renditions.find((entry) => entry.aspectRatio === aspectRatio);
  if (judge === null || rendition === undefined) return { report, judge: null };
  const slug = ratioSlug(aspectRatio);
  const videoPath = path.join(workDir, `${slug}.mp4`);
  const proxyPath = path.join(workDir, `${slug}-proxy.mp4`);
  await runtime.blobs.getFile(rendition.blobKey, videoPath);
  await runtime.generative.reviewProxy.makeProxy(videoPath, proxyPath);
  const answers = await withFallback(
    session,
    { capability: 'judge', provider: judge.name, instead: `${aspectRatio} scored on the measurements alone` },
    () => judge.judge({ videoPath: proxyPath, brief: job.brief, questions: judgeQuestions(job.brief) }, session),
    async () => null,
  );
  if (answers === null) return { report, judge: null };
  const merged = mergeJudgement(report, answers, job.brief, hasGeneratedVisuals(job));
  const record: JudgeReport = { aspectRatio, provider: judge.name, answers, agreement: merged.agreement, disagreements: merged.disagreements };
  return { report: merged.report, judge: record };
}

/**
 * Scores every delivered format on the ABCD rubric, confirming the storyboard on what QA_TECH measured (speech
 * onset, shot changes) and on when the render showed each super, merged with the video judge's answers when there
 * is a judge; the weakest format decides. When it passes, every deliverable is copied under its final name.
 */
export const checkSemanticQuality: StageRun = async ({ job, message, eventId, runtime }) => {
  const preset = presetOf(job);
  const manifest = manifestOf(job);
  const analyses = job.qa.analyses ?? [];
  if (analyses.length === 0) throw new JobFailure('no media analysis to confirm the ABCD features on');
  const session = providerSession(runtime, message);
  const workDir = path.join(runtime.scratchDir, job.id, eventId, 'qa-semantic');
  await mkdir(workDir, { recursive: true });
  let reports: Array<{ aspectRatio: AspectRatio; report: AbcdReport; judge: JudgeReport | null }>;
  try {
    reports = [];
    for (const analysis of analyses) {
      const measured = scoreAbcd({ brief: job.brief, manifest, bar: preset.qualityBar, media: { ...analysis, supersShown: plannedSupers(manifest) } });
      reports.push({ aspectRatio: analysis.aspectRatio, ...(await judged(runtime, session, job, analysis.aspectRatio, measured, workDir)) });
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  const weakest = reports.reduce((low, entry) => (entry.report.score < low.report.score ? entry : low));
  const checks: QaCheck[] = reports.flatMap(({ aspectRatio, report }) => report.checks.map((check) => ({ ...check, subject: `${aspectRatio} ${check.subject ?? ''}`.trim() })));
  const semantic = { ...toQaReport(weakest.report), checks };
  const judges = reports.flatMap((entry) => (entry.judge === null ? [] : [entry.judge]));
  const qa = { ...job.qa, semantic, ...(judges.length > 0 ? { judge: judges } : {}) };
  const summary = (report: AbcdReport) => `ABCD ${report.score} (bar ${report.bar})`;
  const spent = { ledger: session.ledger, events: session.events };
  if (!weakest.report.passed) {
    throw new JobFailure(`semantic QA: ${weakest.aspectRatio} scored ${summary(weakest.report)}; missing ${weakest.report.missing.join(', ')}`, { qa }, spent);
  }
  const outputs = await deliverOutputs(runtime, job);
  const delivery = deliveryEntries('QA_SEMANTIC', await deliveredBytes(runtime, job.id), eventId);
  const judgedBy = judges.length > 0 ? ` with ${judges[0].provider} judging` : '';
  return {
    kind: 'advance',
    next: 'DELIVERED',
    reason: `semantic QA ${reports.map(({ aspectRatio, report }) => `${aspectRatio} ${summary(report)}`).join(', ')}${judgedBy}; delivered ${outputs.videos.length} video(s)`,
    patch: { qa, outputs },
    ...spent,
    ledger: [...spent.ledger, ...delivery],
  };
};
