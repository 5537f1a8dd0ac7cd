import type { Brief } from '../../../schemas/brief';
import type { AbcdTimeline } from './evidence';
import { ABCD_FEATURES, ABCD_THRESHOLDS, type AbcdCategory, type AbcdFeatureId } from './features';

export interface AbcdCriterion {
  id: AbcdFeatureId;
  category: AbcdCategory;
  /** What the feature asks for, in words, for this brief ("brand "Lumen" shown on screen by 5.0 s"). */
  criterion: string;
}

/** The criteria read no evidence: an empty timeline only satisfies the type. */
const NO_EVIDENCE: AbcdTimeline = {
  stage: 'plan',
  durationSec: 0,
  cutsSec: [],
  supers: [],
  speechOnsetSec: null,
  spoken: [],
  source: { cuts: 'none', supers: 'none', speech: 'none' },
};

/** Every ABCD feature's criterion for a brief: the rules creative direction writes to and the judge checks. */
export function abcdCriteria(brief: Brief): AbcdCriterion[] {
  const context = { brief, timeline: NO_EVIDENCE, thresholds: ABCD_THRESHOLDS };
  return ABCD_FEATURES.map((feature) => ({ id: feature.id, category: feature.category, criterion: feature.expected(context) }));
}
