import type { State, StepKind } from '../../shared/stages';
import type { StageWork } from '../pipeline/stage_work';
import { assembleVideo } from './assemble_video';
import { checkSemanticQuality } from './check_semantic_quality';
import { checkTechnicalQuality } from './check_technical_quality';
import { closeCancelledJob, closeDeliveredJob, closeFailedJob } from './close_job';
import { directCreative } from './direct_creative';
import { generateSceneMedia } from './generate_media';
import { prepareRender } from './prepare_render';
import { renderScene } from './render_scene';
import { requestApproval } from './request_approval';
import { reviewStoryboard } from './review_storyboard';
import { sanitizeInput } from './sanitize_input';

/** The work of each state; the stage table names the function that runs it. */
export const STAGE_WORK: Readonly<Record<State, StageWork>> = {
  SUBMITTED: { run: sanitizeInput },
  INPUT_SANITIZED: { run: directCreative },
  CREATIVE_DIRECTION: { run: reviewStoryboard },
  WAITING_APPROVAL: { run: requestApproval },
  RENDERING: prepareRender,
  QA_TECH: { run: checkTechnicalQuality },
  QA_SEMANTIC: { run: checkSemanticQuality },
  DELIVERED: { run: closeDeliveredJob },
  ERROR: { run: closeFailedJob },
  CANCELLED: { run: closeCancelledJob },
};

/** The work of each step a state fans out into. */
export const STEP_WORK: Readonly<Record<StepKind, StageWork>> = {
  scene: renderScene,
  assemble: assembleVideo,
  generate: generateSceneMedia,
};
