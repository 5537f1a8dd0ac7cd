import type { ReviewProxyMaker } from '../../ports/media';
import { runTool } from './run_tool';

/** Height of the proxy: enough to read supers and see products; a 30 s ad comes to well under 1 MB. */
const PROXY_HEIGHT = 360;
/** Gemini samples video at 1 frame a second; a few more keep the cuts visible. */
const PROXY_FPS = 5;

/** The video judge's copy of an ad: 360 p, 5 fps, mono AAC, so it travels inline in one request. */
export class FfmpegReviewProxy implements ReviewProxyMaker {
  constructor(private readonly ffmpegPath: string) {}

  async makeProxy(videoPath: string, outPath: string): Promise<void> {
    await runTool(this.ffmpegPath, [
      '-hide_banner', '-nostdin', '-v', 'error', '-y', '-i', videoPath,
      '-vf', `scale=-2:${PROXY_HEIGHT},fps=${PROXY_FPS}`, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '32', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-b:a', '48k', '-ac', '1', '-movflags', '+faststart', outPath,
    ]);
  }
}
