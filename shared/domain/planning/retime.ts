import type { Manifest } from '../../schemas/manifest';
import { allocateCapped, startTimes } from './scene_timing';

/** Room around each spoken line, so a scene never cuts mid-word and the viewer can read its supers. */
const LINE_LEAD_IN_SEC = 0.25;
const LINE_TAIL_SEC = 0.35;
/** A bumper has no time to spare: the room shrinks with the ad, down to this share of its length per line. */
const ROOM_SHARE_OF_AD = 0.06;

export interface LineRoom {
  leadInSec: number;
  tailSec: number;
}

/** The room around each line in an ad of `durationSec`. */
export function lineRoom(durationSec: number): LineRoom {
  const scale = Math.min(1, (ROOM_SHARE_OF_AD * durationSec) / (LINE_LEAD_IN_SEC + LINE_TAIL_SEC));
  return { leadInSec: LINE_LEAD_IN_SEC * scale, tailSec: LINE_TAIL_SEC * scale };
}

/**
 * Sets scene lengths from the measured length of each scene's voice line (plus room around it), scaled so the
 * scenes still add up to the ordered duration. The lines with their room must fit the ordered duration (the
 * caller speaks them faster when they do not), so scaling only ever lengthens scenes.
 */
export function retimeToVoice(manifest: Manifest, spokenSec: readonly number[]): Manifest {
  if (spokenSec.length !== manifest.scenes.length) throw new Error('one voice length per scene is needed');
  const room = lineRoom(manifest.durationSec);
  const wanted = spokenSec.map((seconds) => seconds + room.leadInSec + room.tailSec);
  // A cap never cuts into a scene's own line.
  const caps = manifest.scenes.map((scene, i) => (scene.maxDurationSec === undefined ? undefined : Math.max(scene.maxDurationSec, wanted[i])));
  const durations = allocateCapped(manifest.durationSec, wanted, caps);
  const starts = startTimes(durations);
  return {
    ...manifest,
    scenes: manifest.scenes.map((scene, i) => ({ ...scene, startSec: starts[i], durationSec: durations[i] })),
  };
}
