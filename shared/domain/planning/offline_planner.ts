import type { Brief } from '../../schemas/brief';
import type { Manifest, Scene, SceneRole } from '../../schemas/manifest';
import { brandPalette } from './palette';
import { lineRoom } from './retime';
import { allocateCapped, startTimes } from './scene_timing';

/** Shortest scene a viewer can read: below this, key messages share a scene. */
const MIN_MESSAGE_SCENE_SEC = 3;
/** A comfortable voiceover pace, words per second, and the pause a scene needs around its line. */
const SPOKEN_WORDS_PER_SEC = 2.6;
const SCENE_BREATH_SEC = 0.8;
/** The opening brand flash ends before 3 s, so the ad cuts early (ABCD "dynamic start"). */
const BRAND_FLASH_MAX_SEC = 2;
/** The pace the offline voice can be pushed to and still be understood (measured: Festival at 0.6 stretch). */
export const FASTEST_WORDS_PER_SEC = 3.5;

interface SceneDraft {
  role: SceneRole;
  onScreenText: string;
  voiceover: string;
  /** A shorter line for when the ad is too short to say everything (the headline still shows it all). */
  compactVoiceover?: string;
  maxDurationSec?: number;
}

/** How long a scene wants: the time its line takes to say at a comfortable pace, plus a breath. */
function speakingWeight(draft: SceneDraft): number {
  const words = draft.voiceover.split(/\s+/u).filter(Boolean).length;
  return words / SPOKEN_WORDS_PER_SEC + SCENE_BREATH_SEC;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function wordCount(text: string): number {
  return text.split(/\s+/u).filter(Boolean).length;
}

/**
 * Shortens lines, in order, until everything can be said in the ad at a pace the voice can still be understood
 * at: a six-second bumper cannot say what a thirty-second spot says.
 */
function fitVoiceToDuration(drafts: SceneDraft[], durationSec: number): SceneDraft[] {
  const { leadInSec, tailSec } = lineRoom(durationSec);
  const capacityWords = (durationSec - (leadInSec + tailSec) * drafts.length) * FASTEST_WORDS_PER_SEC;
  const fitted = [...drafts];
  for (let i = 0; i < fitted.length; i++) {
    const spoken = fitted.reduce((sum, draft) => sum + wordCount(draft.voiceover), 0);
    if (spoken <= capacityWords) break;
    const compact = fitted[i].compactVoiceover;
    if (compact !== undefined) fitted[i] = { ...fitted[i], voiceover: compact };
  }
  return fitted;
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
 * Deterministic creative direction without a model: a brand flash, the hook (product and promise), key messages,
 * proof, call to action.
 * Scene lengths follow how long each scene's line takes to say, and always add up to the brief's duration.
 */
export function planOffline(brief: Brief): Manifest {
  const brand = brief.brand.name;
  const palette = brandPalette(brief);
  const hookLine = brief.brand.tagline ?? `Made for ${brief.audience}`;
  const withProof = brief.proofPoint !== undefined && brief.durationSec >= 12;
  const framingSec = brief.durationSec * (withProof ? 0.5 : 0.36);
  // A short brand flash opens the ad: an early cut (dynamic start) and the brand seen and heard at once.
  const drafts: SceneDraft[] = [
    { role: 'hook', onScreenText: brand, voiceover: sentence(brand), maxDurationSec: BRAND_FLASH_MAX_SEC },
    {
      role: 'hook',
      onScreenText: `${brief.product}\n${hookLine}`,
      voiceover: `${sentence(capitalised(brief.product))} ${sentence(hookLine)}`,
      compactVoiceover: sentence(capitalised(brief.product)),
    },
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
    // The brand was heard in the opening flash.
    compactVoiceover: sentence(brief.callToAction),
  });
  const fitted = fitVoiceToDuration(drafts, brief.durationSec);
  const durations = allocateCapped(brief.durationSec, fitted.map(speakingWeight), fitted.map((draft) => draft.maxDurationSec));
  const starts = startTimes(durations);
  const backgrounds: Record<SceneRole, [string, string]> = {
    hook: [palette.primary, palette.secondary],
    key_message: [palette.secondary, palette.primary],
    proof: [palette.primary, palette.accent],
    call_to_action: [palette.accent, palette.primary],
  };
  const scenes: Scene[] = fitted.map((draft, index) => ({
    index,
    role: draft.role,
    ...(draft.maxDurationSec === undefined ? {} : { maxDurationSec: draft.maxDurationSec }),
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
