import { planOffline } from '../../shared/domain/planning/offline_planner';
import { ManifestSchema } from '../../shared/schemas/manifest';
import type { StageWork } from '../pipeline/stage_work';

/** Writes the timed storyboard for the brief. */
export const directCreative: StageWork = async ({ job }) => {
  const manifest = ManifestSchema.parse(planOffline(job.brief));
  return {
    kind: 'advance',
    next: 'CREATIVE_DIRECTION',
    reason: `storyboard of ${manifest.scenes.length} scenes by ${manifest.planner}`,
    patch: { manifest },
  };
};
