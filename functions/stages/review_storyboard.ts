import { JobFailure } from '../../shared/domain/errors';
import { describeAbcd, scoreAbcd } from '../../shared/domain/qa/abcd';
import type { StageRun } from '../pipeline/stage_work';
import { manifestOf, presetOf } from './job_parts';

/** How many times a storyboard below the bar goes back to creative direction before the job fails. */
export const MAX_STORYBOARD_REVISIONS = 2;

/**
 * Scores the storyboard on the ABCD rubric before anything is spent on rendering it. Below the preset's bar it
 * goes back to creative direction with the missing features (a bounded number of times); at or above, on to
 * approval or rendering.
 */
export const reviewStoryboard: StageRun = async ({ job, runtime }) => {
  const preset = presetOf(job);
  const report = scoreAbcd({ brief: job.brief, manifest: manifestOf(job), bar: preset.qualityBar });
  const review = { at: runtime.clock().toISOString(), score: report.score, bar: report.bar, passed: report.passed, missing: report.missing };
  const storyboardReviews = [...job.storyboardReviews, review];
  if (!report.passed) {
    const revisions = job.storyboardReviews.filter((earlier) => !earlier.passed).length;
    if (revisions >= MAX_STORYBOARD_REVISIONS) {
      throw new JobFailure(`storyboard still ${describeAbcd(report)} after ${revisions} revisions`, { storyboardReviews });
    }
    return {
      kind: 'advance',
      next: 'INPUT_SANITIZED',
      reason: `storyboard ${describeAbcd(report)}; back to creative direction (revision ${revisions + 1} of ${MAX_STORYBOARD_REVISIONS})`,
      patch: { storyboardReviews },
    };
  }
  const route = preset.approval ? ({ next: 'WAITING_APPROVAL', why: 'approval required' } as const) : ({ next: 'RENDERING', why: 'rendering' } as const);
  return { kind: 'advance', next: route.next, reason: `storyboard ${describeAbcd(report)}; ${route.why}`, patch: { storyboardReviews } };
};
