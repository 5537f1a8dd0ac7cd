import type { Manifest } from '../../schemas/manifest';

/**
 * Background cuts inside scenes, so the ad keeps a quick pace while each headline stays up long enough to read:
 * fast in the opening seconds (ABCD "quick pacing, first 5 s": 5 shots in 5 s), then at most BEAT_SEC apart
 * (ABCD "overall pacing": average shot of 2 s or less).
 */
export const OPENING_SEC = 5;
export const OPENING_BEAT_SEC = 0.95;
export const BEAT_SEC = 1.9;

/** Offsets (from the scene's start) where the scene's background cuts to its next look. */
export function sceneBeats(manifest: Manifest, sceneIndex: number): number[] {
  const scene = manifest.scenes[sceneIndex];
  const beats: number[] = [];
  let at = 0;
  for (;;) {
    const interval = scene.startSec + at < OPENING_SEC ? OPENING_BEAT_SEC : BEAT_SEC;
    const left = scene.durationSec - at;
    // Split what is left evenly rather than leave a sliver of a shot at the end.
    const step = left / Math.ceil(left / interval - 1e-9);
    if (left - step < 1e-6) return beats;
    at += step;
    beats.push(Math.round(at * 1000) / 1000);
  }
}

/** Every planned shot start after the first: scene starts and the beats inside scenes, on the ad's timeline. */
export function plannedCuts(manifest: Manifest): number[] {
  return manifest.scenes.flatMap((scene) => [scene.startSec, ...sceneBeats(manifest, scene.index).map((beat) => scene.startSec + beat)]).filter((t) => t > 0);
}
