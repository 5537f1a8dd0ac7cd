import { validateBrief } from '../../shared/domain/brief_validation';
import type { Brief, BriefInput } from '../../shared/schemas/brief';

/** A short, valid brief that renders in a few seconds. */
export function shortBrief(overrides: Partial<BriefInput> = {}): BriefInput {
  return {
    brand: { name: 'Lumen Coffee', colors: { primary: '#2B1B14', secondary: '#8A5A3B', accent: '#F2B544' } },
    product: 'cold brew cans',
    audience: 'young commuters',
    keyMessages: ['Smooth cold brew'],
    callToAction: 'Grab a can today',
    durationSec: 6,
    aspectRatios: ['9:16'],
    preset: 'quick_social',
    ...overrides,
  };
}

/** The brief as sanitising leaves it (defaults applied); throws when the overrides make it invalid. */
export function validBrief(overrides: Partial<BriefInput> = {}): Brief {
  const result = validateBrief(shortBrief(overrides));
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.brief;
}
