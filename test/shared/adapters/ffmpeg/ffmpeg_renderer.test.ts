import { expect } from 'chai';
import { access, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VIDEO_FORMATS } from '../../../../shared/domain/formats';
import { locateFfmpeg, type FfmpegBinaries } from '../../../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { FfmpegRenderer } from '../../../../shared/adapters/ffmpeg/ffmpeg_renderer';
import { FfprobeProber } from '../../../../shared/adapters/ffmpeg/ffprobe_prober';
import { runTool } from '../../../../shared/adapters/ffmpeg/run_tool';
import { EspeakVoice } from '../../../../shared/adapters/local/espeak_voice';
import type { VoiceClip } from '../../../../shared/ports/media';
import type { Manifest } from '../../../../shared/schemas/manifest';

/** Three 2 s scenes: short, so rendering all three formats stays quick. */
const MANIFEST: Manifest = {
  version: 1,
  title: 'Morning coffee',
  brandName: 'Acme Coffee',
  durationSec: 6,
  aspectRatios: ['9:16', '16:9', '1:1'],
  planner: 'test',
  scenes: [
    {
      index: 0,
      role: 'hook',
      startSec: 0,
      durationSec: 2,
      onScreenText: 'Stop scrolling: your mornings just got better',
      voiceover: 'Mornings, better.',
      palette: ['#1A2B6C', '#E05A2B'],
    },
    {
      index: 1,
      role: 'key_message',
      startSec: 2,
      durationSec: 2,
      onScreenText: "Fresh roasted beans, at your door every week — it's 100% {on us}",
      voiceover: 'Fresh beans, every week.',
      palette: ['#0F4C3A', '#A8E6CF'],
    },
    {
      index: 2,
      role: 'call_to_action',
      startSec: 4,
      durationSec: 2,
      onScreenText: 'Try it free today',
      voiceover: 'Try it free today.',
      palette: ['#2D0B45', '#F2C14E'],
    },
  ],
};

/** What ffmpeg's volumedetect and freezedetect report for a file, read in one decoding pass. */
async function analyse(ffmpeg: string, file: string): Promise<{ maxVolumeDb: number; frozen: boolean }> {
  const { stderr } = await runTool(ffmpeg, [
    '-hide_banner', '-nostats', '-i', file,
    // Scenes last 2 s: a scene without motion would be a 1 s freeze at least.
    '-vf', 'freezedetect=n=-60dB:d=1', '-af', 'volumedetect', '-f', 'null', '-',
  ]);
  const maxVolume = /max_volume: (-?[\d.]+|-inf) dB/.exec(stderr);
  if (!maxVolume) throw new Error(`no volumedetect result in:\n${stderr}`);
  return { maxVolumeDb: Number(maxVolume[1]), frozen: stderr.includes('freeze_start') };
}

describe('FfmpegRenderer', function () {
  this.timeout(120_000);
  let tools: FfmpegBinaries;
  let workDir: string;
  let voice: VoiceClip[];

  before(async () => {
    tools = await locateFfmpeg();
    workDir = await mkdtemp(join(tmpdir(), 'ffmpeg-renderer-'));
    const espeak = new EspeakVoice();
    voice = await Promise.all(
      MANIFEST.scenes.map((scene) =>
        espeak.synthesize(scene.voiceover, join(workDir, `voice-${scene.index}.wav`), scene.durationSec - 0.2),
      ),
    );
  });
  after(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  for (const format of Object.values(VIDEO_FORMATS)) {
    const size = `${format.width}x${format.height}`;
    it(`renders ${format.aspectRatio} as a ${size} H.264/AAC MP4 of the manifest's length`, async () => {
      const outPath = join(workDir, 'out', `${format.width}x${format.height}.mp4`);
      const renderDir = join(workDir, `render-${format.width}x${format.height}`);
      await new FfmpegRenderer(tools.ffmpeg).render({
        manifest: MANIFEST,
        aspectRatio: format.aspectRatio,
        voice,
        outPath,
        workDir: renderDir,
      });

      const info = await new FfprobeProber(tools.ffprobe).probe(outPath);
      expect(info.durationSec).to.be.closeTo(MANIFEST.durationSec, 0.2);
      expect(info.video).to.deep.equal({
        codec: 'h264',
        profile: 'High',
        width: format.width,
        height: format.height,
        fps: 30,
        pixFmt: 'yuv420p',
      });
      expect(info.audio).to.deep.equal({ codec: 'aac', sampleRate: 48000, channels: 2 });

      const { maxVolumeDb, frozen } = await analyse(tools.ffmpeg, outPath);
      expect(maxVolumeDb, 'peak level of the voice').to.be.above(-20);
      expect(frozen, 'a scene without motion').to.equal(false);
      // Only the finished file is left: no partial output, no text files.
      expect(await readdir(join(workDir, 'out'))).to.include(`${format.width}x${format.height}.mp4`);
      expect(await readdir(join(workDir, 'out'))).not.to.include(`${format.width}x${format.height}.mp4.partial`);
      expect(await readdir(renderDir)).to.deep.equal([]);
    });
  }

  it('leaves no file behind when ffmpeg fails', async () => {
    const outPath = join(workDir, 'failed', 'ad.mp4');
    const missingVoice = voice.map((clip, i) => (i === 1 ? { ...clip, path: join(workDir, 'missing.wav') } : clip));
    const outcome = await new FfmpegRenderer(tools.ffmpeg)
      .render({
        manifest: MANIFEST,
        aspectRatio: '1:1',
        voice: missingVoice,
        outPath,
        workDir: join(workDir, 'failed'),
      })
      .then(
        () => null,
        (error: Error) => error,
      );
    expect(outcome?.message).to.match(/^ffmpeg failed with exit code \d+:[^]*missing\.wav/);
    const exists = await access(outPath).then(
      () => true,
      () => false,
    );
    expect(exists).to.equal(false);
    expect(await readdir(join(workDir, 'failed'))).to.deep.equal([]);
  });
});
