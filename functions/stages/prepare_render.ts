import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { computeEntries, ledgerEntry, voicePriceItem } from '../../shared/domain/prices';
import type { Job, RenderPlan } from '../../shared/schemas/job';
import type { StageMessage } from '../../shared/schemas/messages';
import { STAGE_TABLE, STEP_TABLE } from '../../shared/stages';
import type { FollowUp, StageWork } from '../pipeline/stage_work';
import { toSrt, toWebVtt } from '../../shared/domain/subtitles';
import { blobKeys } from './blob_keys';
import { speakAndTime } from './voice_timing';
import { manifestOf } from './job_parts';

/** One message per (scene, format) clip not rendered yet. */
function sceneMessages(job: Job, message: StageMessage): FollowUp[] {
  if (job.render === null || job.render.eventId !== message.eventId) return [];
  const render = job.render;
  const manifest = manifestOf(job);
  return manifest.aspectRatios.flatMap((aspectRatio) =>
    manifest.scenes
      .filter((scene) => render.clips[`${scene.index}@${aspectRatio}`] === undefined)
      .map((scene) => ({
        topic: STEP_TABLE.scene.topic,
        message: { jobId: job.id, state: message.state, eventId: message.eventId, step: { kind: 'scene' as const, sceneIndex: scene.index, aspectRatio } },
      })),
  );
}

/**
 * The first part of RENDERING: speaks every scene's line, times the scenes to the measured voice, writes the
 * subtitles and the music bed, then fans out one render per (scene, format).
 */
export const prepareRender: StageWork = {
  async run({ job, eventId, runtime }) {
    const planned = manifestOf(job);
    const workDir = path.join(runtime.scratchDir, job.id, eventId, 'prepare');
    await mkdir(workDir, { recursive: true });
    const started = Date.now();
    try {
      const { manifest, lines, subtitles } = await speakAndTime(runtime.voice, planned, workDir);
      const placedVoice = await Promise.all(
        lines.map(async (line) => {
          const blobKey = blobKeys.voice(job.id, eventId, line.sceneIndex);
          await runtime.blobs.putFile(blobKey, line.path, 'audio/wav');
          return { sceneIndex: line.sceneIndex, blobKey, startSec: line.startSec, durationSec: line.durationSec };
        }),
      );
      await runtime.blobs.putBytes(blobKeys.subtitles(job.id, eventId, 'srt'), Buffer.from(toSrt(subtitles)), 'application/x-subrip');
      await runtime.blobs.putBytes(blobKeys.subtitles(job.id, eventId, 'vtt'), Buffer.from(toWebVtt(subtitles)), 'text/vtt');
      const musicPath = path.join(workDir, 'music.wav');
      await runtime.composer.compose(manifest.durationSec, `${job.brief.brand.name}|${job.brief.tone ?? ''}`, musicPath);
      const musicKey = blobKeys.music(job.id, eventId);
      await runtime.blobs.putFile(musicKey, musicPath, 'audio/wav');
      const render: RenderPlan = { eventId, voice: placedVoice, subtitles, musicKey, clips: {}, assemblyQueuedBy: null, backends: [], sources: {} };
      const seconds = (Date.now() - started) / 1000;
      const characters = manifest.scenes.reduce((sum, scene) => sum + scene.voiceover.length, 0);
      return {
        kind: 'settle',
        reason: `voice ${lines.reduce((sum, line) => sum + line.durationSec, 0).toFixed(1)} s over ${manifest.scenes.length} scenes; ${manifest.scenes.length * manifest.aspectRatios.length} clips to render`,
        patch: { manifest, render },
        ledger: [
          ledgerEntry('RENDERING', voicePriceItem(runtime.voice.name), characters, eventId),
          ...computeEntries('RENDERING', seconds, 1, STAGE_TABLE.RENDERING.memoryMiB / 1024, eventId),
        ],
      };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
  followUps: sceneMessages,
};
