import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { sceneBeats } from '../../shared/domain/planning/beats';
import { computeEntries } from '../../shared/domain/prices';
import type { AspectRatio } from '../../shared/schemas/brief';
import type { Job, RenderPlan } from '../../shared/schemas/job';
import type { Scene } from '../../shared/schemas/manifest';
import { videoClipSeconds } from '../../shared/domain/planning/sources';
import { workKeyOf, type StageMessage } from '../../shared/schemas/messages';
import { STEP_TABLE } from '../../shared/stages';
import type { FollowUp, StageWork } from '../pipeline/stage_work';
import type { Runtime } from '../runtime';
import { sourceOf } from './render_messages';
import { blobKeys } from './blob_keys';
import { manifestOf } from './job_parts';

/** CPUs a scene-render instance has. */
const SCENE_VCPUS = 1;

function sceneStep(message: StageMessage) {
  if (message.step?.kind !== 'scene') throw new Error('renderScene takes scene steps only');
  return message.step;
}

/** The assembly message, sent by the scene step that completed the set of clips. */
function assemblyMessage(job: Job, message: StageMessage): FollowUp[] {
  const assemble: StageMessage = { jobId: job.id, state: message.state, eventId: message.eventId, step: { kind: 'assemble' } };
  if (job.render?.assemblyQueuedBy !== workKeyOf(message) || job.settledWork.includes(workKeyOf(assemble))) return [];
  return [{ topic: STEP_TABLE.assemble.topic, message: assemble }];
}

/** The scene's generated keyframe or clip on local disk, or null when the scene is drawn offline. */
async function fetchBackground(runtime: Runtime, render: RenderPlan, scene: Scene, format: AspectRatio, formats: readonly AspectRatio[], workDir: string) {
  const sceneIndex = scene.index;
  const source = sourceOf(render, sceneIndex, format, formats);
  if (source === null) return null;
  // Scene renders of a generated scene are queued only once its source is ready; a pending one is a bug upstream.
  if (source.status !== 'ready') throw new Error(`scene ${sceneIndex} ${format}: its source is not ready`);
  if (source.blobKey === null) return null;
  const local = path.join(workDir, `source-${path.basename(source.blobKey)}`);
  await runtime.blobs.getFile(source.blobKey, local);
  if (source.backend !== 'veo') return { kind: 'image' as const, path: local };
  return { kind: 'video' as const, path: local, durationSec: videoClipSeconds(scene.durationSec) };
}

/** Renders one scene of one format; the step that finds every clip done queues the assembly. */
export const renderScene: StageWork = {
  async run({ job, message, eventId, runtime }) {
    const { sceneIndex, aspectRatio } = sceneStep(message);
    const manifest = manifestOf(job);
    if (job.render === null || job.render.eventId !== eventId) throw new Error(`no render plan for ${eventId}`);
    const workDir = path.join(runtime.scratchDir, job.id, eventId, `scene-${sceneIndex}-${aspectRatio.replace(':', 'x')}`);
    await mkdir(workDir, { recursive: true });
    const started = Date.now();
    try {
      const scene = manifest.scenes[sceneIndex];
      const subtitles = job.render.subtitles.filter((cue) => cue.startSec < scene.startSec + scene.durationSec && cue.endSec > scene.startSec);
      const outPath = path.join(workDir, 'clip.mp4');
      const beatsSec = sceneBeats(manifest, sceneIndex);
      const background = await fetchBackground(runtime, job.render, scene, aspectRatio, manifest.aspectRatios, workDir);
      await runtime.sceneRenderer.renderScene({ manifest, sceneIndex, aspectRatio, subtitles, beatsSec, ...(background ? { background } : {}), outPath, workDir });
      const clipKey = blobKeys.clip(job.id, eventId, aspectRatio, sceneIndex);
      await runtime.blobs.putFile(clipKey, outPath, 'video/mp4');
      const workKey = workKeyOf(message);
      const expected = manifest.scenes.length * manifest.aspectRatios.length;
      return {
        kind: 'settle',
        reason: `scene ${sceneIndex} rendered for ${aspectRatio}`,
        patch: (current) => {
          if (current.render === null) return {};
          const clips = { ...current.render.clips, [`${sceneIndex}@${aspectRatio}`]: clipKey };
          const complete = Object.keys(clips).length === expected && current.render.assemblyQueuedBy === null;
          return { render: { ...current.render, clips, assemblyQueuedBy: complete ? workKey : current.render.assemblyQueuedBy } };
        },
        ledger: computeEntries('RENDERING', (Date.now() - started) / 1000, SCENE_VCPUS, STEP_TABLE.scene.memoryMiB / 1024, eventId),
      };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
  followUps: assemblyMessage,
};
