import type { Brief } from '../../schemas/brief';
import type { Manifest, Scene, SceneRole } from '../../schemas/manifest';

/** What a scene without its own visual shows, by role. */
const ROLE_SHOTS: Readonly<Record<SceneRole, string>> = {
  hook: 'an inviting hero shot of the product in use',
  key_message: 'a close, detailed shot of the product showing what makes it good',
  proof: 'a satisfied person from the audience enjoying the product',
  call_to_action: 'the product in a calm, uncluttered setting with room for text',
};

/** What the generators are told to leave out: the supers and the brand mark are drawn on top. */
export const VISUAL_NEGATIVE_PROMPT = 'text, letters, captions, watermark, logo, distorted hands, blurry';

/**
 * The prompt for a scene's keyframe or clip: the storyboard's own description when creative direction wrote one,
 * else a shot for the scene's role; with the audience, the brand colours and tone, and no text (the renderer draws
 * the supers).
 */
export function visualPrompt(scene: Scene, manifest: Manifest, brief: Brief, motion: boolean): string {
  const subject = scene.visual ?? `${ROLE_SHOTS[scene.role]}: ${brief.product}, to go with the headline "${scene.onScreenText.replace(/\n/g, ' ')}"`;
  const colours = brief.brand.colors ? `, colour palette ${brief.brand.colors.primary}, ${brief.brand.colors.secondary} and ${brief.brand.colors.accent}` : '';
  const tone = brief.tone ? `, ${brief.tone} mood` : '';
  const camera = motion ? ', slow steady camera move, one continuous shot' : '';
  return `${subject}. For ${brief.audience}; an ad for ${manifest.brandName}${colours}${tone}${camera}. Photographic, natural light, no text or lettering.`;
}
