import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { VIDEO_FORMATS } from '../../domain/formats';
import type { SceneClipRequest, SceneRenderer } from '../../ports/media';
import { bundledBodyFont, bundledHeadlineFont } from './bundled_font';
import { FontMetrics } from './font_metrics';
import { runTool } from './run_tool';
import { buildSceneClipPlan, type SceneFontFaces } from './scene_graph';

/** Renders one scene of one format to a video-only H.264 clip in a single ffmpeg run. */
export class FfmpegSceneRenderer implements SceneRenderer {
  private fonts: Promise<SceneFontFaces> | null = null;

  constructor(
    private readonly ffmpegPath: string,
    private readonly fontFile: string = bundledHeadlineFont(),
    private readonly bodyFontFile: string = bundledBodyFont(),
  ) {}

  async renderScene(request: SceneClipRequest): Promise<void> {
    const format = VIDEO_FORMATS[request.aspectRatio];
    const outPath = resolve(request.outPath);
    // Written next to the target and renamed at the end, so a failed or interrupted run leaves no half file.
    const partialPath = `${outPath}.partial`;
    await mkdir(request.workDir, { recursive: true });
    // Scenes and formats of one job may render at once in the same work dir: each run gets its own text files.
    const textDir = await mkdtemp(join(request.workDir, `scene${request.sceneIndex}-${format.width}x${format.height}-`));
    try {
      const plan = buildSceneClipPlan({
        manifest: request.manifest,
        sceneIndex: request.sceneIndex,
        format,
        subtitles: request.subtitles,
        beatsSec: request.beatsSec,
        ...(request.background ? { background: { ...request.background, path: resolve(request.background.path) } } : {}),
        fonts: await this.loadFonts(),
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

  /** Read once per renderer: every scene of every format is laid out with the same two fonts. */
  private loadFonts(): Promise<SceneFontFaces> {
    this.fonts ??= (async () => {
      // Absolute, so drawtext finds them whatever ffmpeg's working directory.
      const headline = resolve(this.fontFile);
      const body = resolve(this.bodyFontFile);
      const [headlineMetrics, bodyMetrics] = await Promise.all([FontMetrics.load(headline), FontMetrics.load(body)]);
      return { headline: { file: headline, metrics: headlineMetrics }, body: { file: body, metrics: bodyMetrics } };
    })();
    return this.fonts;
  }
}
