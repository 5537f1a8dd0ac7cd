import type { State } from '../../shared/stages';
import type { StageWork } from '../pipeline/stage_work';
import { checkSemanticQuality } from './check_semantic_quality';
import { checkTechnicalQuality } from './check_technical_quality';
import { closeCancelledJob, closeDeliveredJob, closeFailedJob } from './close_job';
import { directCreative } from './direct_creative';
import { renderVideo } from './render_video';
import { requestApproval } from './request_approval';
import { reviewStoryboard } from './review_storyboard';
import { sanitizeInput } from './sanitize_input';

/** The work of each state; the stage table names the function that runs it. */
export const STAGE_WORK: Readonly<Record<State, StageWork>> = {
  SUBMITTED: sanitizeInput,
  INPUT_SANITIZED: directCreative,
  CREATIVE_DIRECTION: reviewStoryboard,
  WAITING_APPROVAL: requestApproval,
  RENDERING: renderVideo,
  QA_TECH: checkTechnicalQuality,
  QA_SEMANTIC: checkSemanticQuality,
  DELIVERED: closeDeliveredJob,
  ERROR: closeFailedJob,
  CANCELLED: closeCancelledJob,
};
