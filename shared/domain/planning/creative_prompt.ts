import type { Brief } from '../../schemas/brief';
import type { BrandKit } from '../../schemas/brand_kit';
import { abcdCriteria } from '../qa/abcd/criteria';
import { BEAT_SEC, OPENING_BEAT_SEC } from './beats';

/** Fastest pace a line may be written for, words per second (what the voices can still say clearly). */
export const MAX_WORDS_PER_SEC = 3.5;
/** The opening brand flash is at most this long, so the ad cuts early. */
export const BRAND_FLASH_MAX_SEC = 2;

const CATEGORY_NAMES = { A: 'Attract', B: 'Brand', C: 'Connect', D: 'Direct' } as const;

function kitSection(kit: BrandKit | null): string {
  if (kit === null) return 'No brand kit is on file for this brand yet: take colours and tone from the brief.';
  const lines = [
    kit.colors && `Colours: primary ${kit.colors.primary}, secondary ${kit.colors.secondary}, accent ${kit.colors.accent}. Use only these in palettes.`,
    kit.fonts && `Fonts: headlines in ${kit.fonts.headline}, body in ${kit.fonts.body}.`,
    kit.logoUri && 'The brand has a logo; keep the end card uncluttered so it can sit beside the call to action.',
    kit.tone && `Tone of voice: ${kit.tone}.`,
    kit.bannedWords.length > 0 && `Never use these words, in text or speech: ${kit.bannedWords.join(', ')}.`,
  ].filter((line): line is string => typeof line === 'string');
  const examples = kit.approvedManifests.map(
    (approved) => `- ${approved.manifest.title}: ${approved.manifest.scenes.map((scene) => `[${scene.role}] "${scene.onScreenText.replace(/\n/g, ' / ')}"`).join(' ')}`,
  );
  if (examples.length > 0) lines.push('Storyboards the brand approved before (match their voice and style, not their words):', ...examples);
  return lines.join('\n');
}

/**
 * The system instruction of creative direction: the job, the storyboard rules the renderer and the voice need, the
 * ABCD rules the storyboard is reviewed against (with this brief's thresholds), and the brand kit.
 */
export function creativeSystemPrompt(brief: Brief, kit: BrandKit | null): string {
  const rules = abcdCriteria(brief).map((rule) => `- ${rule.id} (${CATEGORY_NAMES[rule.category]}): ${rule.criterion}`);
  return [
    'You are the creative director of a short video ad. Write its timed storyboard as JSON matching the response schema.',
    '',
    'Storyboard rules:',
    `- Scene durations add up to exactly ${brief.durationSec} s; startSec of each scene is the sum of the durations before it; index counts from 0.`,
    `- Scene 0 is a brand flash of at most ${BRAND_FLASH_MAX_SEC} s (role hook): the brand name on screen and spoken.`,
    '- Then the hook (the product and its promise), the key messages, the proof point if the brief has one, and last the call to action (role call_to_action) with the brand.',
    `- Every voiceover can be said in its scene at no more than ${MAX_WORDS_PER_SEC} words per second; aim for 2.6.`,
    '- onScreenText is the headline super, short (at most 8 words per line, lines separated by \\n); voiceover is what the narrator says.',
    '- palette is two #RRGGBB colours (top, bottom) from the brand colours.',
    `- visual describes the picture behind the super for an image or video generator: a concrete, photographic scene with the product, no text, no logos. The background cuts every ${OPENING_BEAT_SEC} s in the first 5 s and every ${BEAT_SEC} s after, so describe one scene that reads at a glance.`,
    `- brandName is "${brief.brand.name}", durationSec ${brief.durationSec}, aspectRatios ${JSON.stringify(brief.aspectRatios)}, version 1, planner "model".`,
    '',
    'ABCD rules (YouTube creative guidance) the storyboard is scored on:',
    ...rules,
    '',
    'Brand kit:',
    kitSection(kit),
  ].join('\n');
}

/** The user turn: the brief itself, and what the last review found missing when this is a revision. */
export function creativeUserPrompt(brief: Brief, revision: { missing: string[] } | null): string {
  return JSON.stringify({
    task: revision === null ? 'Write the storyboard for this brief.' : 'Revise the storyboard: the last one missed these ABCD features.',
    brief,
    ...(revision === null ? {} : { missingFeatures: revision.missing }),
  });
}

/** The repair turn after an answer that broke the rules. */
export function repairPrompt(issues: readonly string[]): string {
  return `That storyboard cannot be used:\n${issues.map((issue) => `- ${issue}`).join('\n')}\nAnswer again with the whole corrected storyboard as JSON matching the schema.`;
}
