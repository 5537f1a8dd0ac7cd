import type { VideoFormat } from '../../domain/formats';
import { filterOptions } from './filtergraph_escape';

/** A generated picture behind a scene: a keyframe set in slow motion, or a clip fitted to the scene. */
export interface MediaSource {
  kind: 'image' | 'video';
  /** The ffmpeg input it arrives on, e.g. `0:v`. */
  input: string;
  /** A clip's length, when known: a clip shorter than its scene is slowed down to cover it. */
  durationSec?: number;
}

/** Slowest a clip is played to cover a longer scene (shared/domain/planning/sources.ts VIDEO_MAX_SLOWDOWN). */
const MAX_SLOWDOWN = 1.4;

/** How far a keyframe zooms in over its scene: a slow push, as in a Ken Burns move. */
const KEYFRAME_ZOOM = 0.08;
/** How far it drifts sideways meanwhile, as a share of the width. */
const KEYFRAME_DRIFT = 0.03;
/**
 * Every other look punches in this far, mirrored and lighter (or darker): on a beat the picture must change
 * enough for shot detection (a scene score of 0.3) even when the image has little texture. Measured on a smooth,
 * grainy gradient keyframe: scene score 0.38 at these values.
 */
const PUNCH_IN = 1.3;
const LOOK_BRIGHTNESS = 0.18;

export interface MediaBackgroundInput {
  source: MediaSource;
  /** Frames of each look: the stretches between the scene's start, its beats and its end. */
  lengths: readonly number[];
  format: VideoFormat;
  sceneIndex: number;
  /** Whether the scene's palette is light: the other look is then darker rather than lighter. */
  light: boolean;
  /** Filters run on the whole scene before scaling out (the dip into the next scene). */
  dip: readonly string[];
  pad: (name: string) => string;
}

/** Slow motion that stretches a clip over a longer scene; what is left after the stretch holds the last frame. */
function slowDown(source: MediaSource, sceneSec: number): string[] {
  if (source.durationSec === undefined || source.durationSec <= 0 || sceneSec <= source.durationSec) return [];
  return [`setpts=${Math.min(MAX_SLOWDOWN, sceneSec / source.durationSec).toFixed(4)}*PTS`];
}

/**
 * The chains that put a generated picture behind a scene, ending in the pad `bg`: the picture covers the frame
 * (cropped, never letterboxed); a keyframe slowly zooms and drifts, a clip plays at the ad's frame rate, trimmed to
 * the scene or held on its last frame; at each beat the look alternates (punched in, mirrored, lighter), so the
 * scene keeps the storyboard's pace; then the dip into the next scene.
 */
export function mediaBackground(input: MediaBackgroundInput): string[] {
  const { format, lengths, pad } = input;
  const frames = lengths.reduce((sum, n) => sum + n, 0);
  const { width: w, height: h, fps } = format;
  const cover = [`scale=${w}:${h}:force_original_aspect_ratio=increase`, `crop=${w}:${h}`, 'setsar=1'];
  const direction = input.sceneIndex % 2 === 0 ? 1 : -1;
  const motion =
    input.source.kind === 'image'
      ? [
          ...cover,
          // One still in, `frames` frames out; zoom and drift are linear in the output frame number `on`.
          `zoompan=${filterOptions({
            z: `1+${KEYFRAME_ZOOM}*on/${frames}`,
            x: `iw/2-(iw/zoom/2)+${direction * KEYFRAME_DRIFT}*iw*(on/${frames}-0.5)`,
            y: 'ih/2-(ih/zoom/2)',
            d: frames,
            s: `${w}x${h}`,
            fps,
          })}`,
        ]
      : [...slowDown(input.source, frames / fps), `fps=${fps}`, ...cover, 'tpad=stop_mode=clone:stop=-1', `trim=end_frame=${frames}`, 'setpts=PTS-STARTPTS'];
  const looks = lengths.length;
  // Even sizes: the picture is 4:2:0 by now.
  const even = (value: number) => 2 * Math.round(value / 2);
  const punched = [`crop=${even(w / PUNCH_IN)}:${even(h / PUNCH_IN)}`, `scale=${w}:${h}`, 'setsar=1'];
  const chains = [`[${input.source.input}]${[...motion, 'format=yuv420p', ...(looks > 1 ? [`split=${looks}`] : [])].join(',')}${looks > 1 ? lengths.map((_, i) => pad(`src${i}`)).join('') : pad('src0')}`];
  let start = 0;
  lengths.forEach((length, i) => {
    const cut = [`trim=start_frame=${start}:end_frame=${start + length}`, 'setpts=PTS-STARTPTS'];
    const other = i % 2 === 1 ? [...punched, 'hflip', `eq=brightness=${input.light ? -LOOK_BRIGHTNESS : LOOK_BRIGHTNESS}`] : [];
    chains.push(`${pad(`src${i}`)}${[...cut, ...other].join(',')}${pad(`look${i}`)}`);
    start += length;
  });
  const joined = looks > 1 ? `${lengths.map((_, i) => pad(`look${i}`)).join('')}concat=n=${looks}:v=1:a=0,` : pad('look0');
  chains.push(`${joined}${[...input.dip, 'format=yuv420p', 'setsar=1'].join(',')}${pad('bg')}`);
  return chains;
}
