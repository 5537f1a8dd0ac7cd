import { z } from 'zod';
import { PresetNameSchema, type PresetName } from './brief';

export const PresetSchema = z.strictObject({
  name: PresetNameSchema,
  maxDurationSec: z.number().int().positive(),
  qualityBar: z.number().min(0).max(1),
  pipeline: z.enum(['fast', 'full']),
  approval: z.boolean(),
});
export type Preset = z.infer<typeof PresetSchema>;

export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  quick_social: { name: 'quick_social', maxDurationSec: 30, qualityBar: 0.6, pipeline: 'fast', approval: false },
  brand_campaign: { name: 'brand_campaign', maxDurationSec: 120, qualityBar: 0.8, pipeline: 'full', approval: true },
  premium_spot: { name: 'premium_spot', maxDurationSec: 180, qualityBar: 0.9, pipeline: 'full', approval: true },
};
