import { plannedCuts } from '../../planning/beats';
import type { Manifest } from '../../../schemas/manifest';
import type { TimeSpan } from '../../../ports/media';
import { findPhrase, normalisedWords, type MatchOptions } from './text';

/** A headline super as the render plan puts it on screen. */
export interface SuperShown {
  sceneIndex: number;
  startSec: number;
  endSec: number;
  text: string;
}

/** What a render measured (and planned for supers), to confirm the plan-time ABCD features. */
export interface AbcdMediaEvidence {
  /** When speech first starts in the voice track (silence detection), or null when there is none. */
  speechOnsetSec: number | null;
  /** Detected shot changes (scene detection). */
  shotChangesSec: number[];
  /** Silences in the voice track. */
  voiceSilenceSpans: TimeSpan[];
  /** When each headline super is on screen, from the render plan. */
  supersShown: SuperShown[];
}

/** One scene's spoken line and when it is heard. */
export interface SpokenScene {
  sceneIndex: number;
  /** The line's normalised words. */
  words: string[];
  /** When the line is heard, in order; empty when it is not heard at all. */
  segments: TimeSpan[];
}

/**
 * The ad's timeline as the ABCD features read it: cuts, supers and speech, either as planned by the storyboard or
 * as measured on the render. `source` labels say where each kind of evidence came from.
 */
export interface AbcdTimeline {
  stage: 'plan' | 'render';
  durationSec: number;
  /** Shot changes after the start and before the end, ascending. */
  cutsSec: number[];
  supers: SuperShown[];
  speechOnsetSec: number | null;
  spoken: SpokenScene[];
  source: { cuts: string; supers: string; speech: string };
}

/** Where a phrase is heard: its scene and (estimated) times of its first and last word. */
export interface SpokenMention {
  sceneIndex: number;
  startSec: number;
  lastWordSec: number;
}

/**
 * Speaking pace for plan-time estimates, words per second: the offline planner's comfortable voiceover pace
 * (shared/domain/planning/offline_planner.ts, SPOKEN_WORDS_PER_SEC).
 */
export const PLANNED_WORDS_PER_SEC = 2.6;

/** Cuts this close to the start or end of the ad are the ad's own edges, not shot changes. */
const EDGE_SEC = 0.05;

function sceneEnd(scene: Manifest['scenes'][number]): number {
  return scene.startSec + scene.durationSec;
}

function cutsWithin(times: readonly number[], durationSec: number): number[] {
  return [...times].filter((t) => t > EDGE_SEC && t < durationSec - EDGE_SEC).sort((a, b) => a - b);
}

/** Each scene's headline as a super, on screen for the whole scene. */
export function plannedSupers(manifest: Manifest): SuperShown[] {
  return manifest.scenes.map((scene) => ({ sceneIndex: scene.index, startSec: scene.startSec, endSec: sceneEnd(scene), text: scene.onScreenText }));
}

/**
 * The storyboard as evidence: scene starts and the beats inside scenes are the cuts, headlines the supers, and each voiceover is heard from
 * its scene's start at the planner's pace (never past the scene's end).
 */
export function planTimeline(manifest: Manifest): AbcdTimeline {
  const spoken = manifest.scenes.map((scene) => {
    const words = normalisedWords(scene.voiceover);
    const spokenSec = Math.min(scene.durationSec, words.length / PLANNED_WORDS_PER_SEC);
    return { sceneIndex: scene.index, words, segments: words.length > 0 ? [{ startSec: scene.startSec, endSec: scene.startSec + spokenSec }] : [] };
  });
  const starts = spoken.flatMap((line) => line.segments.map((segment) => segment.startSec));
  return {
    stage: 'plan',
    durationSec: manifest.durationSec,
    cutsSec: cutsWithin(plannedCuts(manifest), manifest.durationSec),
    supers: plannedSupers(manifest),
    speechOnsetSec: starts.length > 0 ? Math.min(...starts) : null,
    spoken,
    source: { cuts: 'planned', supers: 'planned', speech: 'planned' },
  };
}

/** Times with speech: from the onset to the end, less the voice track's silences. */
function speechSpans(onsetSec: number | null, silences: readonly TimeSpan[], durationSec: number): TimeSpan[] {
  if (onsetSec === null) return [];
  const spans: TimeSpan[] = [];
  let at = onsetSec;
  for (const silence of [...silences].sort((a, b) => a.startSec - b.startSec)) {
    if (silence.endSec <= at) continue;
    if (silence.startSec > at) spans.push({ startSec: at, endSec: Math.min(silence.startSec, durationSec) });
    at = Math.max(at, silence.endSec);
    if (at >= durationSec) break;
  }
  if (at < durationSec) spans.push({ startSec: at, endSec: durationSec });
  return spans.filter((span) => span.endSec > span.startSec);
}

function clip(spans: readonly TimeSpan[], from: number, to: number): TimeSpan[] {
  return spans
    .map((span) => ({ startSec: Math.max(span.startSec, from), endSec: Math.min(span.endSec, to) }))
    .filter((span) => span.endSec > span.startSec);
}

/**
 * The render as evidence: detected shot changes, the render plan's supers, and each scene's line heard where the
 * voice track has speech inside that scene (its clip starts with the scene and ends within it).
 */
export function renderTimeline(manifest: Manifest, media: AbcdMediaEvidence): AbcdTimeline {
  const speech = speechSpans(media.speechOnsetSec, media.voiceSilenceSpans, manifest.durationSec);
  return {
    stage: 'render',
    durationSec: manifest.durationSec,
    cutsSec: cutsWithin(media.shotChangesSec, manifest.durationSec),
    supers: [...media.supersShown].sort((a, b) => a.startSec - b.startSec),
    speechOnsetSec: media.speechOnsetSec,
    spoken: manifest.scenes.map((scene) => ({
      sceneIndex: scene.index,
      words: normalisedWords(scene.voiceover),
      segments: clip(speech, scene.startSec, sceneEnd(scene)),
    })),
    source: { cuts: 'detected', supers: 'render plan', speech: 'measured' },
  };
}

/** The time a share `fraction` (0..1) of the way through the speech in `segments`. */
function timeAt(segments: readonly TimeSpan[], fraction: number): number {
  const total = segments.reduce((sum, s) => sum + (s.endSec - s.startSec), 0);
  let left = fraction * total;
  for (const segment of segments) {
    const length = segment.endSec - segment.startSec;
    if (left <= length) return segment.startSec + left;
    left -= length;
  }
  return segments[segments.length - 1].endSec;
}

/**
 * Every heard mention of `phrase`, earliest last word first. A word's time is estimated by spreading the line's
 * words evenly over the time it is heard; a line that is not heard mentions nothing.
 */
export function spokenMentions(timeline: AbcdTimeline, phrase: string, options: MatchOptions = {}): SpokenMention[] {
  const needle = normalisedWords(phrase);
  return timeline.spoken
    .filter((line) => line.segments.length > 0)
    .flatMap((line) =>
      findPhrase(line.words, needle, options).map((match) => ({
        sceneIndex: line.sceneIndex,
        startSec: timeAt(line.segments, match.start / line.words.length),
        lastWordSec: timeAt(line.segments, (match.start + match.length - 1) / line.words.length),
      })),
    )
    .sort((a, b) => a.lastWordSec - b.lastWordSec);
}

/** The supers that show `phrase`, earliest first. */
export function shownMentions(timeline: AbcdTimeline, phrase: string, options: MatchOptions = {}): SuperShown[] {
  const needle = normalisedWords(phrase);
  return timeline.supers.filter((shown) => findPhrase(normalisedWords(shown.text), needle, options).length > 0).sort((a, b) => a.startSec - b.startSec);
}

/** The words heard in the ad, scene by scene (lines that are not heard left out). */
export function heardWords(timeline: AbcdTimeline): string[][] {
  return timeline.spoken.filter((line) => line.segments.length > 0).map((line) => line.words);
}
