import { planOffline } from '../../shared/domain/planning/offline_planner';
import { ManifestSchema } from '../../shared/schemas/manifest';
import type { StageRun } from '../pipeline/stage_work';

/**
 * Writes the timed storyboard for the brief. After a failed plan-time review it writes it again: the offline
 * planner re-plans from the brief, which puts back whatever an edit took out (brand, product, call to action).
 */
export const directCreative: StageRun = async ({ job }) => {
  const manifest = ManifestSchema.parse(planOffline(job.brief));
  const lastReview = job.storyboardReviews[job.storyboardReviews.length - 1];
  const revising = lastReview !== undefined && !lastReview.passed;
  return {
    kind: 'advance',
    next: 'CREATIVE_DIRECTION',
    reason: revising
      ? `storyboard revised by ${manifest.planner} for the missing ${lastReview.missing.join(', ')}`
      : `storyboard of ${manifest.scenes.length} scenes by ${manifest.planner}`,
    patch: { manifest },
  };
};
