import type { Manifest, Scene, SceneRole } from '../../schemas/manifest';
import type { PresetName } from '../../schemas/brief';
import type { SceneBackend } from '../../schemas/providers';
import { clipCovers, VIDEO_MAX_SLOWDOWN } from './sources';

/** Which generators a deployment has. */
export interface BackendAvailability {
  image: boolean;
  video: boolean;
}

/**
 * Scene roles each preset films with generated video; every other scene gets a generated keyframe. Quick social
 * ads stay on keyframes (a clip takes minutes to generate and costs ~5 × a keyframe set); campaigns film their
 * hook; premium spots film everything but the end card, which stays still so the call to action reads.
 */
const VIDEO_ROLES: Readonly<Record<PresetName, readonly SceneRole[]>> = {
  quick_social: [],
  brand_campaign: ['hook'],
  premium_spot: ['hook', 'key_message', 'proof'],
};

/** A clip is wasted on a scene shorter than this (the brand flash): most of the shortest clip would be cut. */
export const VIDEO_MIN_SCENE_SEC = 3;

export interface PreferredBackend {
  backend: SceneBackend;
  reason: string;
}

/** The backend the preset wants for a scene, given what is available, before the budget has its say. */
export function preferredBackend(scene: Scene, preset: PresetName, available: BackendAvailability): PreferredBackend {
  const wantsVideo = VIDEO_ROLES[preset].includes(scene.role);
  if (wantsVideo && available.video) {
    if (scene.durationSec < VIDEO_MIN_SCENE_SEC) return keyframes(available, `${scene.durationSec.toFixed(1)} s is too short for a clip`);
    if (!clipCovers(scene.durationSec)) return keyframes(available, `${scene.durationSec.toFixed(1)} s is longer than the longest clip slowed to ${VIDEO_MAX_SLOWDOWN}×`);
    return { backend: 'veo', reason: `${preset} films ${scene.role} scenes` };
  }
  return keyframes(available, wantsVideo ? 'no video generator' : `${preset} uses keyframes for ${scene.role} scenes`);
}

function keyframes(available: BackendAvailability, why: string): PreferredBackend {
  return available.image ? { backend: 'imagen', reason: why } : { backend: 'local', reason: `${why}; no image generator` };
}

/** Every scene's preferred backend, by scene index. */
export function preferredBackends(manifest: Manifest, preset: PresetName, available: BackendAvailability): Map<number, SceneBackend> {
  return new Map(manifest.scenes.map((scene) => [scene.index, preferredBackend(scene, preset, available).backend]));
}
