import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FfprobeProber } from '../../shared/adapters/ffmpeg/ffprobe_prober';
import { locateFfmpeg } from '../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { VIDEO_FORMATS } from '../../shared/domain/formats';
import { shortBrief } from '../support/fixtures';
import { readSafeAreaText, recall } from '../support/ocr';
import { runToEnd } from '../support/jobs';
import { testPlatform } from '../support/root_hooks';

describe('pipeline on the emulators', () => {
  it('turns a brief into delivered MP4s in every format it asks for, with its full state history', async () => {
    const platform = await testPlatform();
    const job = await runToEnd(platform, shortBrief({ durationSec: 8, aspectRatios: ['9:16', '16:9', '1:1'] }));
    expect(job.state, job.error?.reason).to.equal('DELIVERED');
    expect(job.stateHistory.map((entry) => entry.to)).to.deep.equal(['SUBMITTED', 'INPUT_SANITIZED', 'CREATIVE_DIRECTION', 'RENDERING', 'QA_TECH', 'QA_SEMANTIC', 'DELIVERED']);
    expect(job.outputs.videos.map((video) => video.aspectRatio)).to.deep.equal(['9:16', '16:9', '1:1']);
    const prober = new FfprobeProber((await locateFfmpeg()).ffprobe);
    for (const video of job.outputs.videos) {
      const file = fileURLToPath(video.uri);
      const info = await prober.probe(file);
      const format = VIDEO_FORMATS[video.aspectRatio];
      expect(info.durationSec).to.be.closeTo(8, 0.5);
      expect(info.video).to.include({ codec: 'h264', width: format.width, height: format.height });
      expect(info.audio?.codec).to.equal('aac');
      for (const scene of job.manifest!.scenes) {
        const read = await readSafeAreaText(file, scene.startSec + scene.durationSec / 2, format.width, format.height);
        expect(recall(scene.onScreenText, read), `${video.aspectRatio} scene ${scene.index}: read "${read.trim()}"`).to.be.at.least(0.6);
      }
      expect(existsSync(fileURLToPath(video.posterUri))).to.equal(true);
      expect(existsSync(fileURLToPath(video.contactSheetUri))).to.equal(true);
    }
    expect(job.outputs.receiptUri).to.be.a('string');
    expect(existsSync(fileURLToPath(job.outputs.receiptUri!))).to.equal(true);
    expect(job.completedAt).to.be.a('string');
    expect(job.timings.RENDERING?.durationMs).to.be.greaterThan(0);
    expect(job.qa.tech?.passed).to.equal(true);
    expect(job.qa.semantic?.passed).to.equal(true);
    expect(job.outputs.subtitles?.srtUri).to.match(/\.srt$/);
  });
});
