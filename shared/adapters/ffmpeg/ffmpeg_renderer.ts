import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { VIDEO_FORMATS } from '../../domain/formats';
import type { RenderRequest, VideoRenderer } from '../../ports/media';
import { bundledHeadlineFont } from './bundled_font';
import { FontMetrics } from './font_metrics';
import { buildRenderPlan } from './render_graph';
import { runTool } from './run_tool';

/** Renders one format of a manifest to an MP4 in a single ffmpeg run. */
export class FfmpegRenderer implements VideoRenderer {
  constructor(
    private readonly ffmpegPath: string,
    private readonly fontFile: string = bundledHeadlineFont(),
  ) {}

  async render(request: RenderRequest): Promise<void> {
    const format = VIDEO_FORMATS[request.aspectRatio];
    const outPath = resolve(request.outPath);
    // Written next to the target and renamed at the end, so a failed or interrupted run leaves no half file.
    const partialPath = `${outPath}.partial`;
    await mkdir(request.workDir, { recursive: true });
    // Formats of one job may render at once in the same work dir: each run gets its own text files.
    const textDir = await mkdtemp(join(request.workDir, `render-${format.width}x${format.height}-`));
    try {
      const plan = buildRenderPlan({
        manifest: request.manifest,
        format,
        // Absolute, so ffmpeg never reads a name like "concat:x" as a protocol.
        voicePaths: request.voice.map((clip) => resolve(clip.path)),
        fontFile: resolve(this.fontFile),
        font: await FontMetrics.load(this.fontFile),
        textDir: resolve(textDir),
        outPath: partialPath,
      });
      await Promise.all(plan.textFiles.map((file) => writeFile(file.path, file.content, 'utf8')));
      await mkdir(dirname(outPath), { recursive: true });
      await runTool(this.ffmpegPath, plan.args);
      await rename(partialPath, outPath);
    } finally {
      await rm(textDir, { recursive: true, force: true });
      await rm(partialPath, { force: true });
    }
  }
}
