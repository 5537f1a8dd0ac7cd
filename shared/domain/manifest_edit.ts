// A person's edit of a storyboard awaiting approval (the seeds' "interactive creative control").
import { z } from 'zod';
import type { Manifest } from '../schemas/manifest';
import { visibleText } from '../schemas/visible_text';
import type { FieldIssue } from './field_issues';
import { FASTEST_WORDS_PER_SEC } from './planning/offline_planner';
import { lineRoom } from './planning/retime';

/** A field that exists on the storyboard but is not the editor's to change. */
function locked(what: string) {
  return z.never({ error: `locked: ${what} cannot be edited` }).optional();
}

export const SceneEditSchema = z.strictObject({
  index: z.number().int().min(0),
  onScreenText: visibleText(1, 140, { lineBreaks: true }).optional(),
  voiceover: visibleText(1, 400).optional(),
  role: locked("a scene's role"),
  startSec: locked("a scene's timing (the voice sets it)"),
  durationSec: locked("a scene's timing (the voice sets it)"),
  maxDurationSec: locked("a scene's timing (the voice sets it)"),
  palette: locked('the brand palette'),
});

export const ManifestEditRequestSchema = z
  .strictObject({
    title: visibleText(1, 140).optional(),
    scenes: z.array(SceneEditSchema).min(1).max(20).optional(),
    brandName: locked('the brand name'),
    durationSec: locked('the ordered duration'),
    aspectRatios: locked('the ordered formats'),
    version: locked('the storyboard version'),
    planner: locked('the planner'),
  })
  .meta({ id: 'ManifestEdit' });
export type ManifestEditRequest = z.infer<typeof ManifestEditRequestSchema>;

export interface ManifestChange {
  path: string;
  from: string;
  to: string;
}

export type EditResult = { ok: true; manifest: Manifest; changes: ManifestChange[] } | { ok: false; issues: FieldIssue[] };

function wordCount(text: string): number {
  return text.split(/\s+/u).filter(Boolean).length;
}

/** Applies an edit; refuses scenes that do not exist and a script no voice could say within the ad. */
export function applyManifestEdit(manifest: Manifest, edit: ManifestEditRequest): EditResult {
  const issues: FieldIssue[] = [];
  const changes: ManifestChange[] = [];
  let title = manifest.title;
  if (edit.title !== undefined && edit.title !== manifest.title) {
    changes.push({ path: 'title', from: manifest.title, to: edit.title });
    title = edit.title;
  }
  const scenes = manifest.scenes.map((scene) => ({ ...scene }));
  (edit.scenes ?? []).forEach((sceneEdit, position) => {
    const scene = scenes.find((candidate) => candidate.index === sceneEdit.index);
    if (scene === undefined) {
      issues.push({ field: `scenes[${position}].index`, message: `no scene ${sceneEdit.index} (the storyboard has ${scenes.length})` });
      return;
    }
    for (const field of ['onScreenText', 'voiceover'] as const) {
      const value = sceneEdit[field];
      if (value === undefined || value === scene[field]) continue;
      changes.push({ path: `scenes[${scene.index}].${field}`, from: scene[field], to: value });
      scene[field] = value;
    }
  });
  const words = scenes.reduce((sum, scene) => sum + wordCount(scene.voiceover), 0);
  const room = lineRoom(manifest.durationSec);
  const speakableWords = Math.floor((manifest.durationSec - (room.leadInSec + room.tailSec) * scenes.length) * FASTEST_WORDS_PER_SEC);
  const voiceEdited = changes.some((change) => change.path.endsWith('.voiceover'));
  if (voiceEdited && words > speakableWords) {
    issues.push({ field: 'scenes', message: `the voiceover has ${words} words; a ${manifest.durationSec} s ad can say at most ${speakableWords}` });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, manifest: { ...manifest, title, scenes }, changes };
}
