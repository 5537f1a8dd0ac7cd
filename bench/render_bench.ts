import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { validateBrief } from '../shared/domain/brief_validation';
import { VIDEO_FORMATS } from '../shared/domain/formats';
import { sceneBeats } from '../shared/domain/planning/beats';
import { planOffline } from '../shared/domain/planning/offline_planner';
import { runTool } from '../shared/adapters/ffmpeg/run_tool';
import type { AspectRatio } from '../shared/schemas/brief';
import type { Runtime } from '../functions/runtime';
import { speakAndTime } from '../functions/stages/voice_timing';
import { formatMs } from './stats';

type MediaRuntime = Pick<Runtime, 'voice' | 'sceneRenderer' | 'assembler' | 'composer' | 'analyzer' | 'prober'>;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const result = await work();
  return [result, Date.now() - started];
}

/** Runs `tasks` with at most `limit` at once, as separate function instances would. */
async function withConcurrency(limit: number, tasks: Array<() => Promise<void>>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < tasks.length) await tasks[next++]();
  }));
}

/**
 * Render of one brief per format: scene clips (serially, and two at a time as parallel invocations would on this
 * 2-core machine) plus assembly, against a bare x264 encode of the same frames at the same settings (the floor),
 * and the QA analysis of the result against the render.
 */
export async function benchRender(runtime: MediaRuntime, ffmpeg: string, brief: unknown, workDir: string): Promise<void> {
  const validation = validateBrief(brief);
  if (!validation.ok) throw new Error('invalid bench brief');
  const planned = planOffline(validation.brief);
  await mkdir(workDir, { recursive: true });
  const { manifest, lines, subtitles: cues } = await speakAndTime(runtime.voice, planned, workDir);
  const placed = lines.map((line) => ({ path: line.path, startSec: line.startSec }));
  const musicPath = path.join(workDir, 'music.wav');
  await runtime.composer.compose(manifest.durationSec, 'bench', musicPath);
  const frames = Math.round(manifest.durationSec * 30);
  for (const aspectRatio of ['9:16', '16:9', '1:1'] as AspectRatio[]) {
    const format = VIDEO_FORMATS[aspectRatio];
    const clipPath = (mode: string, i: number) => path.join(workDir, `${mode}-${aspectRatio.replace(':', 'x')}-${i}.mp4`);
    const sceneTask = (mode: string, i: number) => () =>
      runtime.sceneRenderer.renderScene({ manifest: { ...manifest, aspectRatios: [aspectRatio] }, sceneIndex: i, aspectRatio, subtitles: cues, beatsSec: sceneBeats(manifest, i), outPath: clipPath(mode, i), workDir });
    const assemble = (mode: string) =>
      runtime.assembler.assemble({ clips: manifest.scenes.map((scene) => clipPath(mode, scene.index)), voice: placed, musicPath, durationSec: manifest.durationSec, outPath: path.join(workDir, `${mode}.mp4`), voiceTrackPath: path.join(workDir, `${mode}-voice.wav`), workDir });
    const [, serialMs] = await timed(async () => {
      for (const scene of manifest.scenes) await sceneTask('serial', scene.index)();
      await assemble('serial');
    });
    const [, parallelMs] = await timed(async () => {
      await withConcurrency(2, manifest.scenes.map((scene) => sceneTask('parallel', scene.index)));
      await assemble('parallel');
    });
    const raw = path.join(workDir, 'frames.yuv');
    await runTool(ffmpeg, ['-v', 'error', '-y', '-i', path.join(workDir, 'parallel.mp4'), '-an', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', raw]);
    const [, bareMs] = await timed(() =>
      runTool(ffmpeg, ['-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${format.width}x${format.height}`, '-r', '30', '-i', raw, '-frames:v', String(frames), '-c:v', 'libx264', '-profile:v', 'high', '-preset', 'veryfast', '-crf', '21', '-pix_fmt', 'yuv420p', '-f', 'mp4', path.join(workDir, 'bare.mp4')]),
    );
    await rm(raw, { force: true });
    const [, qaMs] = await timed(() => Promise.all([runtime.prober.probe(path.join(workDir, 'parallel.mp4')), runtime.analyzer.analyze(path.join(workDir, 'parallel.mp4'), path.join(workDir, 'parallel-voice.wav'))]));
    console.log(`render ${aspectRatio} ${format.width}x${format.height}, ${manifest.durationSec} s (${frames} frames, ${manifest.scenes.length} scenes):`);
    console.log(`  bare x264 encode of the same frames ${formatMs(bareMs)}`);
    console.log(`  scene-serial ${formatMs(serialMs)} (${(serialMs / bareMs).toFixed(2)} × bare)   scene-parallel ×2 ${formatMs(parallelMs)} (${(parallelMs / bareMs).toFixed(2)} × bare; goal ≤ 1.5 ×)`);
    console.log(`  QA analysis ${formatMs(qaMs)} (${((100 * qaMs) / parallelMs).toFixed(0)} % of the render; goal ≤ 20 %)`);
  }
  await rm(workDir, { recursive: true, force: true });
}
