import type { AspectRatio } from '../../schemas/brief';
import type { SceneBackend } from '../../schemas/providers';
import type { VideoAspectRatio } from '../../ports/providers';

/** Clip lengths Veo 3 makes; a scene gets the shortest clip that covers it, trimmed to the scene. */
export const VIDEO_CLIP_SECONDS: readonly number[] = [4, 6, 8];

/** How far a clip may be slowed down to cover a scene longer than itself (slow motion still reads as motion). */
export const VIDEO_MAX_SLOWDOWN = 1.4;

/** The clip length to ask for a scene of `sceneSec`: the shortest that covers it, else the longest (slowed down). */
export function videoClipSeconds(sceneSec: number): number {
  return VIDEO_CLIP_SECONDS.find((seconds) => seconds >= sceneSec) ?? VIDEO_CLIP_SECONDS[VIDEO_CLIP_SECONDS.length - 1];
}

/** Whether a clip can cover a scene of `sceneSec`, slowed down at most VIDEO_MAX_SLOWDOWN. */
export function clipCovers(sceneSec: number): boolean {
  return sceneSec <= VIDEO_CLIP_SECONDS[VIDEO_CLIP_SECONDS.length - 1] * VIDEO_MAX_SLOWDOWN;
}

/**
 * The generated format a delivered format is made from. Keyframes are generated in every format (Imagen makes
 * each natively, and a still costs little); a clip only vertical or horizontal, so a square format is cropped from
 * the horizontal clip when the ad has one, else from the vertical one.
 */
export function sourceRatioOf(backend: SceneBackend, format: AspectRatio, formats: readonly AspectRatio[]): AspectRatio | null {
  if (backend === 'local') return null;
  if (backend === 'imagen' || format !== '1:1') return format;
  return videoRatio(format, formats);
}

function videoRatio(format: AspectRatio, formats: readonly AspectRatio[]): VideoAspectRatio {
  if (format === '9:16' || format === '16:9') return format;
  return formats.includes('16:9') || !formats.includes('9:16') ? '16:9' : '9:16';
}

/** The distinct sources a scene on `backend` needs for all of the ad's formats, in format order. */
export function sourceRatios(backend: SceneBackend, formats: readonly AspectRatio[]): AspectRatio[] {
  const ratios = formats.map((format) => sourceRatioOf(backend, format, formats)).filter((ratio): ratio is AspectRatio => ratio !== null);
  return [...new Set(ratios)];
}

/** The render plan's key of one scene's source. */
export function sourceKey(sceneIndex: number, ratio: AspectRatio): string {
  return `${sceneIndex}@${ratio}`;
}

export function asVideoRatio(ratio: AspectRatio): VideoAspectRatio {
  if (ratio === '1:1') throw new Error('video sources are 9:16 or 16:9');
  return ratio;
}
