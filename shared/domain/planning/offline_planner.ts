import type { Brief } from '../../schemas/brief';
import type { Manifest, Scene, SceneRole } from '../../schemas/manifest';
import { brandPalette } from './palette';
import { allocateDurations, startTimes } from './scene_timing';

/** Shortest scene a viewer can read: below this, key messages share a scene. */
const MIN_MESSAGE_SCENE_SEC = 3;
/** A comfortable voiceover pace, words per second, and the pause a scene needs around its line. */
const SPOKEN_WORDS_PER_SEC = 2.6;
const SCENE_BREATH_SEC = 0.8;

interface SceneDraft {
  role: SceneRole;
  onScreenText: string;
  voiceover: string;
}

/** How long a scene wants: the time its line takes to say at a comfortable pace, plus a breath. */
function speakingWeight(draft: SceneDraft): number {
  const words = draft.voiceover.split(/\s+/u).filter(Boolean).length;
  return words / SPOKEN_WORDS_PER_SEC + SCENE_BREATH_SEC;
}

function sentence(text: string): string {
  return /[.!?]$/u.test(text) ? text : `${text}.`;
}

/** Groups key messages so that each scene gets at least MIN_MESSAGE_SCENE_SEC. */
function groupMessages(messages: readonly string[], secondsForMessages: number): string[][] {
  const sceneCount = Math.max(1, Math.min(messages.length, Math.floor(secondsForMessages / MIN_MESSAGE_SCENE_SEC)));
  const groups: string[][] = Array.from({ length: sceneCount }, () => []);
  messages.forEach((message, index) => groups[Math.floor((index * sceneCount) / messages.length)].push(message));
  return groups;
}

/**
 * Deterministic creative direction without a model: hook (brand first), key messages, proof, call to action.
 * Scene lengths follow how long each scene's line takes to say, and always add up to the brief's duration.
 */
export function planOffline(brief: Brief): Manifest {
  const brand = brief.brand.name;
  const palette = brandPalette(brief);
  const hookLine = brief.brand.tagline ?? `${brief.product} for ${brief.audience}`;
  const withProof = brief.proofPoint !== undefined && brief.durationSec >= 12;
  const framingSec = brief.durationSec * (withProof ? 0.5 : 0.36);
  const drafts: SceneDraft[] = [
    { role: 'hook', onScreenText: `${brand}\n${hookLine}`, voiceover: `${sentence(brand)} ${sentence(hookLine)}` },
    ...groupMessages(brief.keyMessages, brief.durationSec - framingSec).map((group) => ({
      role: 'key_message' as const,
      onScreenText: group.join('\n'),
      voiceover: group.map(sentence).join(' '),
    })),
  ];
  if (withProof && brief.proofPoint !== undefined) {
    drafts.push({ role: 'proof', onScreenText: brief.proofPoint, voiceover: sentence(brief.proofPoint) });
  }
  drafts.push({
    role: 'call_to_action',
    onScreenText: `${brief.callToAction}\n${brand}`,
    voiceover: `${sentence(brief.callToAction)} ${sentence(brand)}`,
  });
  const durations = allocateDurations(brief.durationSec, drafts.map(speakingWeight));
  const starts = startTimes(durations);
  const backgrounds: Record<SceneRole, [string, string]> = {
    hook: [palette.primary, palette.secondary],
    key_message: [palette.secondary, palette.primary],
    proof: [palette.primary, palette.accent],
    call_to_action: [palette.accent, palette.primary],
  };
  const scenes: Scene[] = drafts.map((draft, index) => ({
    index,
    role: draft.role,
    startSec: starts[index],
    durationSec: durations[index],
    onScreenText: draft.onScreenText,
    voiceover: draft.voiceover,
    palette: backgrounds[draft.role],
  }));
  return {
    version: 1,
    title: `${brand} — ${brief.product}`,
    brandName: brand,
    durationSec: brief.durationSec,
    aspectRatios: brief.aspectRatios,
    scenes,
    planner: 'offline-v1',
  };
}
