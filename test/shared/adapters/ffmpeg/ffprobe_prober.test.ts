import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateFfmpeg } from '../../../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { FfprobeProber, toMediaInfo } from '../../../../shared/adapters/ffmpeg/ffprobe_prober';
import { runTool } from '../../../../shared/adapters/ffmpeg/run_tool';

describe('toMediaInfo', () => {
  it('reads format, first video and first audio stream', () => {
    const info = toMediaInfo({
      format: { duration: '12.345000', size: '1048576', bit_rate: '679552', format_name: 'mov,mp4,m4a,3gp,3g2,mj2' },
      streams: [
        {
          codec_type: 'video',
          codec_name: 'h264',
          profile: 'High',
          width: 1080,
          height: 1920,
          avg_frame_rate: '30000/1001',
          pix_fmt: 'yuv420p',
        },
        { codec_type: 'audio', codec_name: 'aac', sample_rate: '48000', channels: 2 },
      ],
    });
    expect(info.durationSec).to.equal(12.345);
    expect(info.sizeBytes).to.equal(1048576);
    expect(info.bitRate).to.equal(679552);
    expect(info.formatName).to.equal('mov,mp4,m4a,3gp,3g2,mj2');
    expect(info.video).to.deep.include({ codec: 'h264', profile: 'High', width: 1080, height: 1920 });
    expect(info.video!.pixFmt).to.equal('yuv420p');
    expect(info.video!.fps).to.be.closeTo(29.97, 0.001);
    expect(info.audio).to.deep.equal({ codec: 'aac', sampleRate: 48000, channels: 2 });
  });

  it('skips cover art, falls back to r_frame_rate, and reports missing streams as null', () => {
    const info = toMediaInfo({
      format: {},
      streams: [
        { codec_type: 'video', codec_name: 'mjpeg', disposition: { attached_pic: 1 } },
        { codec_type: 'video', codec_name: 'h264', avg_frame_rate: '0/0', r_frame_rate: '25/1' },
      ],
    });
    expect(info.video!.codec).to.equal('h264');
    expect(info.video!.fps).to.equal(25);
    expect(info.audio).to.equal(null);
    expect(info.durationSec).to.equal(0);
    expect(toMediaInfo({}).video).to.equal(null);
  });
});

describe('FfprobeProber', function () {
  this.timeout(30_000);
  let workDir: string;
  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'ffprobe-prober-'));
  });
  after(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('probes a real MP4', async () => {
    const { ffmpeg, ffprobe } = await locateFfmpeg();
    const file = join(workDir, 'probe me.mp4');
    await runTool(ffmpeg, [
      '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=30:d=1', '-f', 'lavfi', '-i', 'sine=f=440:d=1:r=44100',
      '-c:v', 'libx264', '-profile:v', 'main', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '1', file,
    ]);
    const info = await new FfprobeProber(ffprobe).probe(file);
    expect(info.durationSec).to.be.closeTo(1, 0.1);
    expect(info.sizeBytes).to.be.greaterThan(0);
    expect(info.video).to.deep.equal({
      codec: 'h264',
      profile: 'Main',
      width: 320,
      height: 240,
      fps: 30,
      pixFmt: 'yuv420p',
    });
    expect(info.audio).to.deep.equal({ codec: 'aac', sampleRate: 44100, channels: 1 });
  });

  it('rejects for a file that is not media', async () => {
    const { ffprobe } = await locateFfmpeg();
    const outcome = await new FfprobeProber(ffprobe).probe('/etc/hostname').then(
      () => null,
      (error: Error) => error,
    );
    expect(outcome?.message).to.match(/^ffprobe failed with exit code 1/);
  });
});
