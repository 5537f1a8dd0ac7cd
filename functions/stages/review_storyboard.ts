import { JobFailure } from '../../shared/domain/errors';
import { failedChecks, reviewManifest } from '../../shared/domain/qa/semantic_review';
import type { StageWork } from '../pipeline/stage_work';
import { manifestOf, presetOf } from './job_parts';

/** Checks the storyboard before anything is spent on rendering it, then routes it to approval or rendering. */
export const reviewStoryboard: StageWork = async ({ job }) => {
  const preset = presetOf(job);
  const report = reviewManifest(job.brief, manifestOf(job), preset.qualityBar);
  if (!report.passed) throw new JobFailure(`storyboard scored ${report.score} (bar ${preset.qualityBar}); failed: ${failedChecks(report)}`);
  return preset.approval
    ? { kind: 'advance', next: 'WAITING_APPROVAL', reason: `storyboard scored ${report.score}; approval required` }
    : { kind: 'advance', next: 'RENDERING', reason: `storyboard scored ${report.score}; rendering` };
};
