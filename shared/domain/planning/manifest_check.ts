import { z } from 'zod';
import type { Brief } from '../../schemas/brief';
import type { BrandKit } from '../../schemas/brand_kit';
import { ManifestSchema, SceneSchema, type Manifest } from '../../schemas/manifest';
import { normalisedWords } from '../qa/abcd/text';
import { BRAND_FLASH_MAX_SEC, MAX_WORDS_PER_SEC } from './creative_prompt';

/** The manifest schema as a model must answer it: every scene describes its picture for the generators. */
export const GeneratedManifestSchema = ManifestSchema.extend({
  scenes: z.array(SceneSchema.extend({ visual: SceneSchema.shape.visual.unwrap() })).min(1),
});

/** The JSON Schema sent as responseJsonSchema (no `$schema`: the API takes the schema itself). */
export function manifestResponseSchema(): Record<string, unknown> {
  const { $schema: _dropped, ...schema } = z.toJSONSchema(GeneratedManifestSchema) as Record<string, unknown>;
  return schema;
}

const HEX = /^#[0-9a-fA-F]{6}$/;
const DURATION_TOLERANCE_SEC = 0.05;

export type DraftCheck = { ok: true; manifest: Manifest } | { ok: false; issues: string[] };

function contains(text: string, phrase: string): boolean {
  const haystack = normalisedWords(text).join(' ');
  const needle = normalisedWords(phrase).join(' ');
  return needle.length > 0 && ` ${haystack} `.includes(` ${needle} `);
}

function schemaIssues(error: z.ZodError): string[] {
  return error.issues.slice(0, 8).map((issue) => `${issue.path.join('.') || 'answer'}: ${issue.message}`);
}

/**
 * Turns a model's answer into a manifest the pipeline can render, or says what is wrong with it. What the brief
 * fixes (brand, duration, formats, version, planner) is set from the brief; start times are recomputed from the
 * durations; the rest must hold: the schema, durations that add up, a brand flash first and the call to action
 * last, palettes in hex, lines that can be spoken in their scenes, and none of the kit's banned words.
 */
export function checkDraft(answer: unknown, brief: Brief, kit: BrandKit | null, planner: string): DraftCheck {
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) return { ok: false, issues: ['the answer is not a JSON object'] };
  const fixed = { ...answer, version: 1, brandName: brief.brand.name, durationSec: brief.durationSec, aspectRatios: brief.aspectRatios, planner };
  const parsed = GeneratedManifestSchema.safeParse(fixed);
  if (!parsed.success) return { ok: false, issues: schemaIssues(parsed.error) };
  let at = 0;
  const scenes = parsed.data.scenes.map((scene, index) => {
    const placed = { ...scene, index, startSec: Math.round(at * 1000) / 1000 };
    at += scene.durationSec;
    return placed;
  });
  const manifest: Manifest = { ...parsed.data, scenes };
  const issues: string[] = [];
  const total = scenes.reduce((sum, scene) => sum + scene.durationSec, 0);
  if (Math.abs(total - brief.durationSec) > DURATION_TOLERANCE_SEC) issues.push(`scene durations add up to ${total.toFixed(2)} s, not ${brief.durationSec} s`);
  const first = scenes[0];
  if (first.role !== 'hook' || first.durationSec > BRAND_FLASH_MAX_SEC) issues.push(`scene 0 must be a hook brand flash of at most ${BRAND_FLASH_MAX_SEC} s`);
  if (!contains(`${first.onScreenText} ${first.voiceover}`, brief.brand.name)) issues.push(`scene 0 must show and say the brand "${brief.brand.name}"`);
  const last = scenes[scenes.length - 1];
  if (last.role !== 'call_to_action') issues.push('the last scene must be the call_to_action');
  if (!contains(last.onScreenText, brief.callToAction) || !contains(last.voiceover, brief.callToAction)) {
    issues.push(`the last scene must show and say the call to action "${brief.callToAction}"`);
  }
  for (const scene of scenes) {
    const bad = scene.palette.filter((colour) => !HEX.test(colour));
    if (bad.length > 0) issues.push(`scene ${scene.index}: palette colours must be #RRGGBB, not ${bad.join(', ')}`);
    const pace = normalisedWords(scene.voiceover).length / scene.durationSec;
    if (pace > MAX_WORDS_PER_SEC) issues.push(`scene ${scene.index}: ${normalisedWords(scene.voiceover).length} words in ${scene.durationSec} s is faster than ${MAX_WORDS_PER_SEC} words per second`);
  }
  const banned = (kit?.bannedWords ?? []).filter((word) => scenes.some((scene) => contains(`${scene.onScreenText} ${scene.voiceover} ${scene.visual ?? ''}`, word)));
  if (banned.length > 0) issues.push(`banned words used: ${banned.join(', ')}`);
  return issues.length === 0 ? { ok: true, manifest: ManifestSchema.parse(manifest) } : { ok: false, issues };
}
