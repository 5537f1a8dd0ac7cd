import type { AspectRatio } from '../schemas/brief';

export interface VideoFormat {
  aspectRatio: AspectRatio;
  width: number;
  height: number;
  fps: number;
}

/** Output geometry of each aspect ratio the platform delivers. */
export const VIDEO_FORMATS: Readonly<Record<AspectRatio, VideoFormat>> = {
  '9:16': { aspectRatio: '9:16', width: 1080, height: 1920, fps: 30 },
  '16:9': { aspectRatio: '16:9', width: 1920, height: 1080, fps: 30 },
  '1:1': { aspectRatio: '1:1', width: 1080, height: 1080, fps: 30 },
};
