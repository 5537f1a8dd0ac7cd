import { z } from 'zod';
import type { Brief } from './brief';
import { ManifestSchema } from './manifest';

const HexColorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/);

/** A manifest a person (or the storyboard review, where no approval is required) let through to rendering. */
export const ApprovedManifestSchema = z.strictObject({
  jobId: z.string(),
  approvedAt: z.iso.datetime(),
  manifest: ManifestSchema,
});
export type ApprovedManifest = z.infer<typeof ApprovedManifestSchema>;

/**
 * What the platform remembers about one brand of one tenant, so every ad of the brand looks and sounds alike:
 * colours, fonts, logo, tone, words never to use, and the last manifests approved for it.
 */
export const BrandKitSchema = z.strictObject({
  tenant: z.string().min(1),
  brand: z.string().min(1),
  colors: z.strictObject({ primary: HexColorSchema, secondary: HexColorSchema, accent: HexColorSchema }).nullable().default(null),
  fonts: z.strictObject({ headline: z.string().min(1), body: z.string().min(1) }).nullable().default(null),
  logoUri: z.string().nullable().default(null),
  tone: z.string().nullable().default(null),
  bannedWords: z.array(z.string().min(1)).default([]),
  /** Newest first, at most BRAND_KIT_APPROVED_KEPT. */
  approvedManifests: z.array(ApprovedManifestSchema).default([]),
  updatedAt: z.iso.datetime(),
});
export type BrandKit = z.infer<typeof BrandKitSchema>;

/** How many approved manifests a kit keeps as examples for creative direction. */
export const BRAND_KIT_APPROVED_KEPT = 3;

/** How long a derived cache entry (a generated keyframe, say) is reused before it expires. */
export const DERIVED_CACHE_TTL_DAYS = 7;

/** A kit's colours and tone where the brief leaves them out: the brief always wins. */
export function withKitDefaults(brief: Brief, kit: BrandKit | null): Brief {
  if (kit === null) return brief;
  return {
    ...brief,
    brand: { ...brief.brand, ...(brief.brand.colors === undefined && kit.colors !== null ? { colors: kit.colors } : {}) },
    ...(brief.tone === undefined && kit.tone !== null ? { tone: kit.tone } : {}),
  };
}
