import type { QaCheck, QaReport } from '../../schemas/job';
import type { MediaInfo } from '../../ports/media';
import type { VideoFormat } from '../formats';

/** Longest a delivered file may differ from the ordered duration. */
export const DURATION_TOLERANCE_SEC = 0.5;

/** Technical checks of one rendered file against its format and the ordered duration. */
export function reviewMedia(info: MediaInfo, format: VideoFormat, durationSec: number): QaCheck[] {
  const subject = format.aspectRatio;
  const video = info.video;
  const audio = info.audio;
  return [
    {
      name: 'duration',
      passed: Math.abs(info.durationSec - durationSec) <= DURATION_TOLERANCE_SEC,
      value: Math.round(info.durationSec * 1000) / 1000,
      expected: `${durationSec} ± ${DURATION_TOLERANCE_SEC} s`,
      subject,
    },
    {
      name: 'resolution',
      passed: video !== null && video.width === format.width && video.height === format.height,
      value: video ? `${video.width}x${video.height}` : 'no video',
      expected: `${format.width}x${format.height}`,
      subject,
    },
    { name: 'video_codec', passed: video?.codec === 'h264', value: video?.codec ?? 'none', expected: 'h264', subject },
    { name: 'audio_present', passed: audio !== null, value: audio !== null, expected: 'an audio stream', subject },
    { name: 'audio_codec', passed: audio?.codec === 'aac', value: audio?.codec ?? 'none', expected: 'aac', subject },
  ];
}

export function technicalReport(checks: QaCheck[]): QaReport {
  return { passed: checks.every((c) => c.passed), checks };
}
