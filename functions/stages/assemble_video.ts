import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { VIDEO_FORMATS } from '../../shared/domain/formats';
import { computeEntries } from '../../shared/domain/prices';
import type { Rendition } from '../../shared/schemas/job';
import { STEP_TABLE } from '../../shared/stages';
import type { StageWork } from '../pipeline/stage_work';
import { blobKeys, ratioSlug } from './blob_keys';
import { manifestOf } from './job_parts';

/** CPUs an assembly instance has. */
const ASSEMBLY_VCPUS = 1;

/** Joins each format's scene clips, mixes voice and music, makes its stills, and moves the job to QA. */
export const assembleVideo: StageWork = {
  async run({ job, eventId, runtime }) {
    const manifest = manifestOf(job);
    const render = job.render;
    if (render === null || render.eventId !== eventId) throw new Error(`no render plan for ${eventId}`);
    const workDir = path.join(runtime.scratchDir, job.id, eventId, 'assemble');
    await mkdir(workDir, { recursive: true });
    const started = Date.now();
    try {
      const fetch = async (key: string, name: string) => {
        const local = path.join(workDir, name);
        await runtime.blobs.getFile(key, local);
        return local;
      };
      const voice = await Promise.all(render.voice.map(async (line) => ({ path: await fetch(line.blobKey, `voice-${line.sceneIndex}.wav`), startSec: line.startSec })));
      const musicPath = await fetch(render.musicKey, 'music.wav');
      const renditions: Rendition[] = [];
      const loudness: string[] = [];
      for (const aspectRatio of manifest.aspectRatios) {
        const slug = ratioSlug(aspectRatio);
        const clips = await Promise.all(manifest.scenes.map((scene) => fetch(render.clips[`${scene.index}@${aspectRatio}`], `${slug}-clip-${scene.index}.mp4`)));
        const outPath = path.join(workDir, `${slug}.mp4`);
        const voiceTrackPath = path.join(workDir, `${slug}-voice.wav`);
        const mix = await runtime.assembler.assemble({ clips, voice, musicPath, durationSec: manifest.durationSec, outPath, voiceTrackPath, workDir });
        loudness.push(`${aspectRatio} ${mix.integratedLufs.toFixed(1)} LUFS / ${mix.truePeakDbtp.toFixed(1)} dBTP`);
        const posterPath = path.join(workDir, `${slug}-poster.png`);
        const sheetPath = path.join(workDir, `${slug}-storyboard.png`);
        const hook = manifest.scenes[0];
        await runtime.stills.poster(outPath, hook.startSec + hook.durationSec * 0.6, posterPath);
        await runtime.stills.contactSheet(
          outPath,
          manifest.scenes.map((scene) => ({
            atSec: scene.startSec + scene.durationSec * 0.6,
            label: `${scene.index + 1} · ${scene.role} · ${scene.startSec.toFixed(1)}–${(scene.startSec + scene.durationSec).toFixed(1)} s · ${scene.onScreenText.replace(/\n/g, ' ')}`,
          })),
          sheetPath,
        );
        const blobKey = blobKeys.render(job.id, eventId, aspectRatio);
        const voiceTrackKey = blobKeys.voiceTrack(job.id, eventId, aspectRatio);
        const [uri, , posterUri, contactSheetUri] = await Promise.all([
          runtime.blobs.putFile(blobKey, outPath, 'video/mp4'),
          runtime.blobs.putFile(voiceTrackKey, voiceTrackPath, 'audio/wav'),
          runtime.blobs.putFile(blobKeys.poster(job.id, eventId, aspectRatio), posterPath, 'image/png'),
          runtime.blobs.putFile(blobKeys.contactSheet(job.id, eventId, aspectRatio), sheetPath, 'image/png'),
        ]);
        const format = VIDEO_FORMATS[aspectRatio];
        const { size } = await stat(outPath);
        renditions.push({ aspectRatio, blobKey, uri, voiceTrackKey, posterUri, contactSheetUri, width: format.width, height: format.height, durationSec: manifest.durationSec, bytes: size });
      }
      return {
        kind: 'advance',
        next: 'QA_TECH',
        reason: `assembled ${renditions.map((r) => r.aspectRatio).join(', ')} (${loudness.join('; ')})`,
        patch: { renditions },
        ledger: computeEntries('RENDERING', (Date.now() - started) / 1000, ASSEMBLY_VCPUS, STEP_TABLE.assemble.memoryMiB / 1024, eventId),
      };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
};
