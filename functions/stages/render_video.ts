import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { VIDEO_FORMATS } from '../../shared/domain/formats';
import { computeEntries, ledgerEntry } from '../../shared/domain/prices';
import type { Rendition } from '../../shared/schemas/job';
import { JobFailure } from '../../shared/domain/errors';
import { SpeechTooLongError, type VoiceClip, type VoiceSynthesizer } from '../../shared/ports/media';
import { STAGE_TABLE } from '../../shared/stages';
import type { StageWork } from '../pipeline/stage_work';
import { blobKeys } from './blob_keys';
import { manifestOf } from './job_parts';

/** Silence left at the end of each scene's line, so lines never run into the next scene. */
const VOICE_TAIL_SEC = 0.3;
/** CPUs a render function instance has (Cloud Functions gen2 with 4 GiB). */
const RENDER_VCPUS = 2;

async function speakScene(voice: VoiceSynthesizer, line: string, clipPath: string, maxSec: number, index: number): Promise<VoiceClip> {
  try {
    return await voice.synthesize(line, clipPath, maxSec);
  } catch (error) {
    if (error instanceof SpeechTooLongError) throw new JobFailure(`scene ${index}: ${error.message}`);
    throw error;
  }
}

/** Speaks every scene's line, then renders each requested format and stores it. */
export const renderVideo: StageWork = async ({ job, eventId, runtime }) => {
  const manifest = manifestOf(job);
  const workDir = path.join(runtime.scratchDir, job.id, eventId);
  await mkdir(workDir, { recursive: true });
  const started = Date.now();
  try {
    const voice: VoiceClip[] = [];
    for (const scene of manifest.scenes) {
      const clipPath = path.join(workDir, `voice-${scene.index}.wav`);
      voice.push(await speakScene(runtime.voice, scene.voiceover, clipPath, scene.durationSec - VOICE_TAIL_SEC, scene.index));
    }
    const renditions: Rendition[] = [];
    for (const aspectRatio of manifest.aspectRatios) {
      const format = VIDEO_FORMATS[aspectRatio];
      const outPath = path.join(workDir, `${aspectRatio.replace(':', 'x')}.mp4`);
      await runtime.renderer.render({ manifest, aspectRatio, voice, outPath, workDir });
      const blobKey = blobKeys.render(job.id, eventId, aspectRatio);
      const uri = await runtime.blobs.putFile(blobKey, outPath, 'video/mp4');
      const { size } = await stat(outPath);
      renditions.push({ aspectRatio, blobKey, uri, width: format.width, height: format.height, durationSec: manifest.durationSec, bytes: size });
    }
    const seconds = (Date.now() - started) / 1000;
    const characters = manifest.scenes.reduce((sum, scene) => sum + scene.voiceover.length, 0);
    return {
      kind: 'advance',
      next: 'QA_TECH',
      reason: `rendered ${renditions.map((r) => r.aspectRatio).join(', ')} in ${seconds.toFixed(1)} s`,
      patch: { renditions },
      ledger: [
        ledgerEntry('RENDERING', 'voice.espeak-ng', characters, eventId),
        ...computeEntries('RENDERING', seconds, RENDER_VCPUS, STAGE_TABLE.RENDERING.memoryMiB / 1024, eventId),
      ],
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
};
