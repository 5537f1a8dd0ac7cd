import { z } from 'zod';
import { visibleText as text } from './visible_text';

export const ASPECT_RATIOS = ['9:16', '16:9', '1:1'] as const;
export const AspectRatioSchema = z.enum(ASPECT_RATIOS);
export type AspectRatio = z.infer<typeof AspectRatioSchema>;

export const PRESET_NAMES = ['quick_social', 'brand_campaign', 'premium_spot'] as const;
export const PresetNameSchema = z.enum(PRESET_NAMES);
export type PresetName = z.infer<typeof PresetNameSchema>;

const HexColorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #1A2B3C');

export const BrandSchema = z.strictObject({
  name: text(1, 60),
  colors: z
    .strictObject({
      primary: HexColorSchema,
      secondary: HexColorSchema,
      accent: HexColorSchema,
    })
    .optional(),
  tagline: text(1, 80).optional(),
});

/** A marketing brief as a client submits it. */
export const BriefSchema = z.strictObject({
  brand: BrandSchema,
  product: text(1, 80),
  audience: text(1, 160),
  keyMessages: z.array(text(1, 120)).min(1).max(5),
  proofPoint: text(1, 120).optional(),
  callToAction: text(1, 60),
  durationSec: z.number().int().min(6).max(180),
  aspectRatios: z
    .array(AspectRatioSchema)
    .min(1)
    .max(3)
    .refine((list) => new Set(list).size === list.length, 'each aspect ratio at most once'),
  preset: PresetNameSchema.default('quick_social'),
  /** Overrides the preset's approval step when set. */
  approval: z.boolean().optional(),
  tone: text(1, 40).optional(),
});
export type Brief = z.infer<typeof BriefSchema>;
export type BriefInput = z.input<typeof BriefSchema>;
