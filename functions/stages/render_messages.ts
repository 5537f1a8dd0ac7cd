import { sourceKey, sourceRatioOf } from '../../shared/domain/planning/sources';
import type { AspectRatio } from '../../shared/schemas/brief';
import type { Job, RenderPlan } from '../../shared/schemas/job';
import type { Scene } from '../../shared/schemas/manifest';
import type { SceneSource } from '../../shared/schemas/providers';
import { STEP_TABLE } from '../../shared/stages';
import type { FollowUp } from '../pipeline/stage_work';
import { manifestOf } from './job_parts';

/** The generated source a (scene, format) clip is made from, or null when the scene renders offline. */
export function sourceOf(render: RenderPlan, sceneIndex: number, format: AspectRatio, formats: readonly AspectRatio[]): SceneSource | null {
  const planned = render.backends.find((choice) => choice.sceneIndex === sceneIndex)?.backend ?? 'local';
  const ratio = sourceRatioOf(planned, format, formats);
  return ratio === null ? null : (render.sources[sourceKey(sceneIndex, ratio)] ?? null);
}

/** One scene message per (scene, format) clip `wanted` picks that is not rendered yet. */
export function sceneRenderMessages(job: Job, eventId: string, wanted: (scene: Scene, format: AspectRatio) => boolean): FollowUp[] {
  const render = job.render;
  if (render === null || render.eventId !== eventId) return [];
  const manifest = manifestOf(job);
  return manifest.aspectRatios.flatMap((aspectRatio) =>
    manifest.scenes
      .filter((scene) => render.clips[`${scene.index}@${aspectRatio}`] === undefined && wanted(scene, aspectRatio))
      .map((scene) => ({
        topic: STEP_TABLE.scene.topic,
        message: { jobId: job.id, state: 'RENDERING' as const, eventId, step: { kind: 'scene' as const, sceneIndex: scene.index, aspectRatio } },
      })),
  );
}

/** The message that makes (or polls) one source. */
export function generateMessage(job: Job, eventId: string, source: SceneSource, attempt: number): FollowUp {
  return {
    topic: STEP_TABLE.generate.topic,
    message: { jobId: job.id, state: 'RENDERING', eventId, step: { kind: 'generate', sceneIndex: source.sceneIndex, sourceRatio: source.sourceRatio, attempt } },
  };
}
