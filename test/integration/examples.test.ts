import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateFfmpeg } from '../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { FfprobeProber } from '../../shared/adapters/ffmpeg/ffprobe_prober';
import { VIDEO_FORMATS } from '../../shared/domain/formats';
import type { AspectRatio } from '../../shared/schemas/brief';
import { runToEnd } from '../support/jobs';
import { testPlatform } from '../support/root_hooks';

const EXAMPLES = path.resolve(__dirname, '../../examples');

describe('example briefs', () => {
  for (const name of ['coffee-30s', 'saas-15s', 'retail-60s']) {
    it(`delivers examples/${name}.json in every format it asks for, at its duration, as H.264 + AAC`, async () => {
      const brief = JSON.parse(readFileSync(path.join(EXAMPLES, `${name}.json`), 'utf8')) as { durationSec: number; aspectRatios: AspectRatio[] };
      const platform = await testPlatform();
      const job = await runToEnd(platform, brief);
      expect(job.state, job.error?.reason).to.equal('DELIVERED');
      expect(job.stateHistory.at(-1)?.to).to.equal('DELIVERED');
      expect(job.outputs.videos.map((v) => v.aspectRatio)).to.deep.equal(brief.aspectRatios);
      const prober = new FfprobeProber((await locateFfmpeg()).ffprobe);
      for (const video of job.outputs.videos) {
        const info = await prober.probe(fileURLToPath(video.uri));
        const format = VIDEO_FORMATS[video.aspectRatio];
        expect(info.durationSec).to.be.closeTo(brief.durationSec, 0.5);
        expect(info.video).to.include({ codec: 'h264', width: format.width, height: format.height });
        expect(info.audio?.codec).to.equal('aac');
      }
    });
  }
});
