import { describeIssues, validateBrief } from '../../shared/domain/brief_validation';
import { JobFailure } from '../../shared/domain/errors';
import { PRESETS } from '../../shared/schemas/preset';
import type { StageRun } from '../pipeline/stage_work';

/** Validates and normalises the brief again (messages may come from anywhere) and resolves its preset. */
export const sanitizeInput: StageRun = async ({ job }) => {
  const validation = validateBrief(job.brief);
  if (!validation.ok) throw new JobFailure(`invalid brief: ${describeIssues(validation.issues)}`);
  const brief = validation.brief;
  const base = PRESETS[brief.preset];
  const preset = { ...base, approval: brief.approval ?? base.approval };
  return {
    kind: 'advance',
    next: 'INPUT_SANITIZED',
    reason: `brief valid; preset ${preset.name} (bar ${preset.qualityBar}, ${preset.pipeline} pipeline, approval ${preset.approval ? 'on' : 'off'})`,
    patch: { brief, preset },
  };
};
