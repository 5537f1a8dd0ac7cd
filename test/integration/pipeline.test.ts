import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FfprobeProber } from '../../shared/adapters/ffmpeg/ffprobe_prober';
import { locateFfmpeg } from '../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { shortBrief } from '../support/fixtures';
import { runToEnd } from '../support/jobs';
import { testPlatform } from '../support/root_hooks';

describe('pipeline on the emulators', () => {
  it('turns a brief into a delivered MP4 with its full state history', async () => {
    const platform = await testPlatform();
    const job = await runToEnd(platform, shortBrief({ durationSec: 8 }));
    expect(job.state, job.error?.reason).to.equal('DELIVERED');
    expect(job.stateHistory.map((entry) => entry.to)).to.deep.equal(['SUBMITTED', 'INPUT_SANITIZED', 'CREATIVE_DIRECTION', 'RENDERING', 'QA_TECH', 'QA_SEMANTIC', 'DELIVERED']);
    expect(job.outputs.videos).to.have.length(1);
    const file = fileURLToPath(job.outputs.videos[0].uri);
    const info = await new FfprobeProber((await locateFfmpeg()).ffprobe).probe(file);
    expect(info.durationSec).to.be.closeTo(8, 0.5);
    expect(info.video?.codec).to.equal('h264');
    expect(info.audio?.codec).to.equal('aac');
    expect(job.outputs.receiptUri).to.be.a('string');
    expect(existsSync(fileURLToPath(job.outputs.receiptUri!))).to.equal(true);
    expect(job.completedAt).to.be.a('string');
    expect(job.timings.RENDERING?.durationMs).to.be.greaterThan(0);
  });
});
