import { expect } from 'chai';
import { VIDEO_FORMATS } from '../../../../shared/domain/formats';
import { reviewMedia, technicalReport } from '../../../../shared/domain/qa/technical_review';
import type { MediaInfo } from '../../../../shared/ports/media';

const good: MediaInfo = {
  durationSec: 30.02,
  sizeBytes: 1_000_000,
  bitRate: 2_000_000,
  formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
  video: { codec: 'h264', profile: 'High', width: 1080, height: 1920, fps: 30, pixFmt: 'yuv420p' },
  audio: { codec: 'aac', sampleRate: 48000, channels: 2 },
};

describe('technical review', () => {
  it('passes a file that matches its format and duration', () => {
    expect(technicalReport(reviewMedia(good, VIDEO_FORMATS['9:16'], 30)).passed).to.equal(true);
  });

  it('names each fault', () => {
    const failing = (info: MediaInfo, duration = 30) => reviewMedia(info, VIDEO_FORMATS['9:16'], duration).filter((c) => !c.passed).map((c) => c.name);
    expect(failing({ ...good, durationSec: 30.6 })).to.deep.equal(['duration']);
    expect(failing(good, 29.4)).to.deep.equal(['duration']);
    expect(failing({ ...good, audio: null })).to.deep.equal(['audio_present', 'audio_codec']);
    expect(failing({ ...good, video: { ...good.video!, codec: 'hevc', width: 720 } })).to.deep.equal(['resolution', 'video_codec']);
  });
});
