import { resolve } from 'node:path';
import type { MediaInfo, MediaProber } from '../../ports/media';
import { runTool } from './run_tool';

/** The parts of `ffprobe -print_format json -show_format -show_streams` this adapter reads. */
export interface FfprobeOutput {
  format?: { duration?: string; size?: string; bit_rate?: string; format_name?: string };
  streams?: FfprobeStream[];
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  pix_fmt?: string;
  sample_rate?: string;
  channels?: number;
  disposition?: { attached_pic?: number };
}

/** Reads a media file's properties with ffprobe. */
export class FfprobeProber implements MediaProber {
  constructor(private readonly ffprobePath: string) {}

  async probe(path: string): Promise<MediaInfo> {
    const { stdout } = await runTool(this.ffprobePath, [
      '-v', 'error',
      '-print_format', 'json',
      '-show_format',
      '-show_streams',
      // Absolute, so a name like "concat:x" or "-x" is read as a file, not a protocol or an option.
      resolve(path),
    ]);
    return toMediaInfo(JSON.parse(stdout) as FfprobeOutput);
  }
}

export function toMediaInfo(output: FfprobeOutput): MediaInfo {
  const streams = output.streams ?? [];
  // Cover art in an MP4 shows up as a one-frame video stream; it is not the video.
  const video = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  const audio = streams.find((s) => s.codec_type === 'audio');
  return {
    durationSec: toNumber(output.format?.duration),
    sizeBytes: toNumber(output.format?.size),
    bitRate: toNumber(output.format?.bit_rate),
    formatName: output.format?.format_name ?? '',
    video: video
      ? {
          codec: video.codec_name ?? '',
          profile: video.profile ?? '',
          width: video.width ?? 0,
          height: video.height ?? 0,
          fps: parseRate(video.avg_frame_rate) || parseRate(video.r_frame_rate),
          pixFmt: video.pix_fmt ?? '',
        }
      : null,
    audio: audio
      ? { codec: audio.codec_name ?? '', sampleRate: toNumber(audio.sample_rate), channels: audio.channels ?? 0 }
      : null,
  };
}

/** ffprobe writes rates as fractions ("30/1", "30000/1001") and "0/0" when it does not know. */
function parseRate(rate: string | undefined): number {
  const [num, den] = (rate ?? '').split('/').map(Number);
  return num && den ? num / den : 0;
}

function toNumber(value: string | undefined): number {
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : 0;
}
