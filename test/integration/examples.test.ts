import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateFfmpeg } from '../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { FfprobeProber } from '../../shared/adapters/ffmpeg/ffprobe_prober';
import { VIDEO_FORMATS } from '../../shared/domain/formats';
import type { AspectRatio } from '../../shared/schemas/brief';
import { runToEnd } from '../support/jobs';
import { readSafeAreaText, recall, wordsOf } from '../support/ocr';
import { testPlatform } from '../support/root_hooks';

const EXAMPLES = path.resolve(__dirname, '../../examples');

/** The text of an SRT file's cues, in order. */
function srtText(srt: string): string {
  return srt
    .split(/\r?\n\r?\n/)
    .map((block) => block.split(/\r?\n/).slice(2).join(' '))
    .join(' ');
}

describe('example briefs', () => {
  for (const name of ['coffee-30s', 'saas-15s', 'retail-60s']) {
    it(`delivers examples/${name}.json in every format it asks for, passing technical QA, with legible supers and matching subtitles`, async () => {
      const brief = JSON.parse(readFileSync(path.join(EXAMPLES, `${name}.json`), 'utf8')) as { durationSec: number; aspectRatios: AspectRatio[] };
      const platform = await testPlatform();
      const job = await runToEnd(platform, brief);
      expect(job.state, job.error?.reason).to.equal('DELIVERED');
      expect(job.qa.tech?.passed).to.equal(true);
      expect(job.qa.semantic?.passed).to.equal(true);
      expect(job.outputs.videos.map((v) => v.aspectRatio)).to.deep.equal(brief.aspectRatios);
      const manifest = job.manifest!;
      const prober = new FfprobeProber((await locateFfmpeg()).ffprobe);
      for (const video of job.outputs.videos) {
        const file = fileURLToPath(video.uri);
        const info = await prober.probe(file);
        const format = VIDEO_FORMATS[video.aspectRatio];
        expect(info.durationSec).to.be.closeTo(brief.durationSec, 0.5);
        expect(info.video).to.include({ codec: 'h264', profile: 'High', pixFmt: 'yuv420p', width: format.width, height: format.height });
        expect(info.audio).to.include({ codec: 'aac', sampleRate: 48000 });
        const analysis = job.qa.analyses!.find((a) => a.aspectRatio === video.aspectRatio)!;
        expect(analysis.integratedLufs).to.be.within(-15, -13);
        expect(analysis.truePeakDbtp).to.be.at.most(-1);
        for (const scene of manifest.scenes) {
          const read = await readSafeAreaText(file, scene.startSec + scene.durationSec / 2, format.width, format.height);
          expect(recall(scene.onScreenText, read), `${video.aspectRatio} scene ${scene.index}: read "${read.trim()}"`).to.be.at.least(0.6);
        }
      }
      const srt = readFileSync(fileURLToPath(job.outputs.subtitles!.srtUri), 'utf8');
      expect(wordsOf(srtText(srt))).to.deep.equal(wordsOf(manifest.scenes.map((scene) => scene.voiceover).join(' ')));
      const vtt = readFileSync(fileURLToPath(job.outputs.subtitles!.vttUri), 'utf8');
      expect(vtt.startsWith('WEBVTT')).to.equal(true);
    });
  }
});
