import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateFfmpeg, type FfmpegBinaries } from '../../../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { ANALYSIS_SETTINGS } from '../../../../shared/adapters/ffmpeg/ffmpeg_media_analyzer';
import { FfprobeProber } from '../../../../shared/adapters/ffmpeg/ffprobe_prober';
import { runTool } from '../../../../shared/adapters/ffmpeg/run_tool';
import { FfmpegSceneRenderer } from '../../../../shared/adapters/ffmpeg/scene_renderer';
import { plannedCuts, sceneBeats } from '../../../../shared/domain/planning/beats';
import type { Manifest } from '../../../../shared/schemas/manifest';
import { renderClip, renderKeyframe } from '../../../support/fake_media';
import { readSafeAreaText, recall } from '../../../support/ocr';

/** Two scenes with beats: a keyframe scene, then a clip scene longer than its clip (slowed down to cover it). */
const MANIFEST: Manifest = {
  version: 1,
  title: 'Generated backgrounds',
  brandName: 'Acme Coffee',
  durationSec: 7,
  aspectRatios: ['9:16', '1:1'],
  planner: 'test',
  scenes: [
    { index: 0, role: 'hook', startSec: 0, durationSec: 3, onScreenText: 'Fresh every morning', voiceover: 'Words.', palette: ['#2B1B14', '#8A5A3B'] },
    { index: 1, role: 'call_to_action', startSec: 3, durationSec: 4, onScreenText: 'Try it free today', voiceover: 'Words.', palette: ['#2B1B14', '#8A5A3B'] },
  ],
};
const COLOURS = ['0x8A5A3B', '0xF2B544', '0x2B1B14'];

describe('FfmpegSceneRenderer over generated keyframes and clips', function () {
  this.timeout(240_000);
  let tools: FfmpegBinaries;
  let dir: string;
  let keyframe: string;
  let clip: string;

  before(async () => {
    tools = await locateFfmpeg();
    dir = await mkdtemp(join(tmpdir(), 'media-background-'));
    keyframe = join(dir, 'keyframe.png');
    clip = join(dir, 'clip.mp4');
    // Imagen's 9:16 size, and a Veo-like 720p horizontal clip shorter than its scene.
    await Promise.all([renderKeyframe(keyframe, 768, 1408, COLOURS, 7), renderClip(clip, 1280, 720, 3.5, COLOURS, 7)]);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function render(aspectRatio: '9:16' | '1:1'): Promise<string> {
    const renderer = new FfmpegSceneRenderer(tools.ffmpeg);
    const parts = [join(dir, `${aspectRatio.replace(':', 'x')}-0.mp4`), join(dir, `${aspectRatio.replace(':', 'x')}-1.mp4`)];
    const backgrounds = [{ kind: 'image' as const, path: keyframe }, { kind: 'video' as const, path: clip, durationSec: 3.5 }];
    await Promise.all(
      MANIFEST.scenes.map((_, i) =>
        renderer.renderScene({ manifest: MANIFEST, sceneIndex: i, aspectRatio, subtitles: [], beatsSec: sceneBeats(MANIFEST, i), background: backgrounds[i], outPath: parts[i], workDir: join(dir, 'work') }),
      ),
    );
    const list = join(dir, `${aspectRatio.replace(':', 'x')}.txt`);
    const joined = join(dir, `${aspectRatio.replace(':', 'x')}.mp4`);
    await writeFile(list, parts.map((part) => `file '${part}'\n`).join(''));
    await runTool(tools.ffmpeg, ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', joined]);
    return joined;
  }

  for (const aspectRatio of ['9:16', '1:1'] as const) {
    it(`fits both to ${aspectRatio}, exactly the scenes' frames, cutting at every scene start and beat as QA sees it`, async () => {
      const joined = await render(aspectRatio);
      const info = await new FfprobeProber(tools.ffprobe).probe(joined);
      const size = aspectRatio === '9:16' ? [1080, 1920] : [1080, 1080];
      expect(info.video).to.include({ codec: 'h264', width: size[0], height: size[1], fps: 30 });
      expect(info.durationSec).to.be.closeTo(7, 0.05);
      const { stderr } = await runTool(tools.ffmpeg, [
        '-hide_banner', '-nostats', '-i', joined,
        '-vf', `select='gt(scene,${ANALYSIS_SETTINGS.sceneThreshold})',metadata=mode=print,freezedetect=n=-60dB:d=1`, '-f', 'null', '-',
      ]);
      const detected = [...stderr.matchAll(/pts_time:([\d.]+)/g)].map(([, t]) => Number(t));
      const planned = plannedCuts(MANIFEST);
      expect(detected, `detected ${detected.join(', ')} for planned ${planned.join(', ')}`).to.have.length(planned.length);
      detected.forEach((t, i) => expect(t, `cut ${i}`).to.be.closeTo(planned[i], 0.5 / 30 + 0.001));
      expect(stderr, 'the keyframe zooms, the clip is slowed down rather than frozen').not.to.include('freeze_start');
    });
  }

  it('keeps the supers legible over the picture', async () => {
    const joined = join(dir, '9x16.mp4');
    for (const scene of MANIFEST.scenes) {
      const read = await readSafeAreaText(joined, scene.startSec + scene.durationSec * 0.6, 1080, 1920);
      expect(recall(scene.onScreenText, read), `scene ${scene.index}: read "${read.trim()}"`).to.be.at.least(0.6);
    }
  });
});
