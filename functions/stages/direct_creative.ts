import { planOffline } from '../../shared/domain/planning/offline_planner';
import { withKitDefaults } from '../../shared/schemas/brand_kit';
import { ManifestSchema } from '../../shared/schemas/manifest';
import type { StageRun } from '../pipeline/stage_work';
import { providerSession, withFallback } from './provider_work';

/**
 * Writes the timed storyboard for the brief, reading the brand kit first: on Gemini when creative direction has a
 * provider (falling back to the offline planner when it cannot be used), else offline. After a failed plan-time
 * review it writes it again with what the review found missing; the offline planner re-plans from the brief, which
 * puts back whatever an edit took out (brand, product, call to action).
 */
export const directCreative: StageRun = async ({ job, message, runtime }) => {
  const { providers, brandKits } = runtime.generative;
  const kit = await brandKits.get(job.tenant, job.brief.brand.name);
  const lastReview = job.storyboardReviews[job.storyboardReviews.length - 1];
  const revising = lastReview !== undefined && !lastReview.passed;
  const offline = async () => ManifestSchema.parse(planOffline(withKitDefaults(job.brief, kit)));
  const session = providerSession(runtime, message);
  const director = providers.creative;
  const manifest =
    director === null
      ? await offline()
      : await withFallback(
          session,
          { capability: 'creative', provider: director.name, instead: 'the offline planner wrote the storyboard' },
          () => director.direct({ brief: job.brief, kit, revision: revising ? { missing: lastReview.missing } : null }, session),
          offline,
        );
  return {
    kind: 'advance',
    next: 'CREATIVE_DIRECTION',
    reason: revising
      ? `storyboard revised by ${manifest.planner} for the missing ${lastReview.missing.join(', ')}`
      : `storyboard of ${manifest.scenes.length} scenes by ${manifest.planner}`,
    patch: { manifest },
    ledger: session.ledger,
    events: session.events,
  };
};
