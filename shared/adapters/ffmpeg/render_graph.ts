import { join } from 'node:path';
import type { VideoFormat } from '../../domain/formats';
import type { Manifest, Scene } from '../../schemas/manifest';
import { filterOptions } from './filtergraph_escape';
import { layoutHeadline, type HeadlineFont, type HeadlineLayout } from './headline_layout';

export interface RenderGraphInput {
  manifest: Manifest;
  format: VideoFormat;
  /** One WAV per scene, in scene order; absolute paths. */
  voicePaths: readonly string[];
  fontFile: string;
  font: HeadlineFont;
  /** Directory the headline text files go to (one file per line of text). */
  textDir: string;
  /** Where ffmpeg writes the MP4 (the caller renames it into place). */
  outPath: string;
}

export interface TextFile {
  path: string;
  content: string;
}

/** Everything one ffmpeg run needs: its arguments and the text files they refer to. */
export interface RenderPlan {
  args: string[];
  textFiles: TextFile[];
}

/** Scene durations may be off by rounding in the planner, not by more. */
const SCENE_TIMING_TOLERANCE_SEC = 0.05;
const AUDIO_SAMPLE_RATE = 48000;

/**
 * Gradients are drawn at 1/8 size and upscaled: a smooth ramp loses nothing, and a full-size gradient
 * alone held the graph to ~31 fps at 1080×1920 (232 fps small; see the platform notes).
 */
const GRADIENT_DOWNSCALE = 8;
/** The gradient turns slowly through vertical so no scene is a frozen frame; capped so long scenes stay calm. */
const GRADIENT_TURN_RAD_PER_SEC = 0.06;
const GRADIENT_MAX_TURN_RAD = 0.6;
/** The smallest rotation step the gradients filter accepts, in radians per frame. */
const GRADIENT_MIN_SPEED = 1e-5;
/** Each headline line fades in and rises a little, one after another: the whole block within 0.9 s. */
const TEXT_FADE_DELAY_SEC = 0.15;
const TEXT_LINE_STAGGER_SEC = 0.08;
const TEXT_MAX_STAGGER_SEC = 0.3;
const TEXT_FADE_SEC = 0.45;
/** Scenes shorter than this reveal their headline proportionally faster, so it is read, not watched. */
const TEXT_FULL_PACE_SCENE_SEC = 2;
const TEXT_RISE_EM = 0.25;
const TEXT_COLOR = 'white';
const TEXT_BOX_COLOR = 'black@0.45';

const VIDEO_ENCODING = [
  '-c:v', 'libx264', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-preset', 'veryfast', '-crf', '21',
];
const AUDIO_ENCODING = ['-c:a', 'aac', '-b:a', '160k', '-ar', String(AUDIO_SAMPLE_RATE), '-ac', '2'];

/**
 * Builds the single ffmpeg run that renders a manifest in one format: per scene a turning gradient in the
 * scene palette with its headline on top and its voice clip from the scene start, all scenes concatenated.
 */
export function buildRenderPlan(input: RenderGraphInput): RenderPlan {
  const { manifest, format, voicePaths } = input;
  if (voicePaths.length !== manifest.scenes.length) {
    throw new Error(`${manifest.scenes.length} scenes but ${voicePaths.length} voice clips`);
  }
  const frames = sceneFrameCounts(manifest, format.fps);
  const textFiles: TextFile[] = [];
  const chains: string[] = [];
  manifest.scenes.forEach((scene, i) => {
    const layout = layoutHeadline(scene.onScreenText, format.width, format.height, input.font);
    const lineFiles = layout.lines.map((line, j) => ({
      path: join(input.textDir, `scene${i}-line${j}.txt`),
      content: line.text,
    }));
    textFiles.push(...lineFiles);
    const fades = lineFades(layout.lines.length, frames[i]! / format.fps);
    const headline = layout.lines.map((line, j) =>
      drawLine(line.baselineY, fades[j]!, layout, input.fontFile, lineFiles[j]!.path),
    );
    chains.push(`${[gradient(scene, frames[i]!, format), ...headline].join(',')}[v${i}]`);
    chains.push(`[${i}:a]${sceneAudio(frames[i]!, format.fps)}[a${i}]`);
  });
  const segments = manifest.scenes.map((_, i) => `[v${i}][a${i}]`).join('');
  chains.push(`${segments}concat=n=${manifest.scenes.length}:v=1:a=1[v][a]`);

  const args = [
    '-hide_banner', '-nostdin', '-v', 'error', '-y',
    ...voicePaths.flatMap((path) => ['-i', path]),
    '-filter_complex', chains.join(';'),
    '-map', '[v]', '-map', '[a]',
    ...VIDEO_ENCODING, '-r', String(format.fps),
    ...AUDIO_ENCODING,
    // The index up front lets players start before the whole file has arrived.
    '-movflags', '+faststart',
    '-t', String(manifest.durationSec),
    '-f', 'mp4', input.outPath,
  ];
  return { args, textFiles };
}

/**
 * Frames per scene, from cumulative scene ends rounded to the frame grid, so rounding never accumulates
 * and the scenes add up to the manifest's duration.
 */
export function sceneFrameCounts(manifest: Manifest, fps: number): number[] {
  const totalSec = manifest.scenes.reduce((sum, scene) => sum + scene.durationSec, 0);
  if (Math.abs(totalSec - manifest.durationSec) > SCENE_TIMING_TOLERANCE_SEC) {
    throw new Error(`scenes last ${totalSec} s but the manifest lasts ${manifest.durationSec} s`);
  }
  let endSec = 0;
  let endFrame = 0;
  return manifest.scenes.map((scene) => {
    endSec += scene.durationSec;
    const startFrame = endFrame;
    endFrame = Math.round(endSec * fps);
    if (endFrame <= startFrame) throw new Error(`scene ${scene.index} is shorter than a frame`);
    return endFrame - startFrame;
  });
}

/** A vertical top→bottom gradient that turns through vertical at mid-scene. */
function gradient(scene: Scene, frames: number, format: VideoFormat): string {
  const width = Math.ceil(format.width / GRADIENT_DOWNSCALE);
  const height = Math.ceil(format.height / GRADIENT_DOWNSCALE);
  const turn = Math.min(GRADIENT_TURN_RAD_PER_SEC * (frames / format.fps), GRADIENT_MAX_TURN_RAD);
  // The filter turns the line clockwise about the centre by `speed` per frame: start half a turn back.
  // Its ends must lie inside the frame (the filter replaces points outside it with random ones).
  const radius = height / 2 - 1;
  const dx = radius * Math.sin(turn / 2);
  const dy = radius * Math.cos(turn / 2);
  const inside = (value: number, size: number) => Math.min(Math.max(Math.round(value), 0), size - 1);
  const source = filterOptions({
    s: `${width}x${height}`,
    r: format.fps,
    c0: ffmpegColor(scene.palette[0]),
    c1: ffmpegColor(scene.palette[1]),
    x0: inside(width / 2 - dx, width),
    y0: inside(height / 2 - dy, height),
    x1: inside(width / 2 + dx, width),
    y1: inside(height / 2 + dy, height),
    nb_colors: 2,
    speed: Math.max(turn / frames, GRADIENT_MIN_SPEED).toFixed(7),
  });
  return [
    `gradients=${source}`,
    `trim=end_frame=${frames}`,
    `scale=${format.width}:${format.height}:flags=bilinear`,
    'format=yuv420p',
    // The small frame's rounded size may differ from the output's aspect by a hair: keep pixels square.
    'setsar=1',
  ].join(',');
}

/** One drawtext per line: drawtext cannot centre lines of a multi-line text itself. */
function drawLine(
  baselineY: number,
  fade: LineFade,
  layout: HeadlineLayout,
  fontFile: string,
  textFile: string,
): string {
  // 0 → 1 over the fade; `t` is the scene's own time, as each scene's chain starts at 0.
  const shown = `clip((t-${fade.startSec.toFixed(3)})/${fade.durationSec.toFixed(3)},0,1)`;
  const rise = Math.round(TEXT_RISE_EM * layout.fontSize);
  return `drawtext=${filterOptions({
    fontfile: fontFile,
    textfile: textFile,
    // The text is used as written: no %{...} expansion, so nothing in it needs escaping.
    expansion: 'none',
    fontsize: layout.fontSize,
    fontcolor: TEXT_COLOR,
    box: 1,
    boxcolor: TEXT_BOX_COLOR,
    boxborderw: layout.boxBorder,
    x: '(w-text_w)/2',
    // `ascent` is the line's tallest glyph, so subtracting it puts every line's baseline where the layout says.
    y: `${baselineY}-ascent+${rise}*(1-${shown})`,
    alpha: shown,
  })}`;
}

interface LineFade {
  startSec: number;
  durationSec: number;
}

/** When each line of a headline fades in: staggered, and quicker in short scenes. */
function lineFades(lineCount: number, sceneSec: number): LineFade[] {
  const pace = Math.min(1, sceneSec / TEXT_FULL_PACE_SCENE_SEC);
  const stagger = lineCount > 1 ? Math.min(TEXT_LINE_STAGGER_SEC, TEXT_MAX_STAGGER_SEC / (lineCount - 1)) : 0;
  return Array.from({ length: lineCount }, (_, j) => ({
    startSec: pace * (TEXT_FADE_DELAY_SEC + j * stagger),
    durationSec: pace * TEXT_FADE_SEC,
  }));
}

/** The scene's voice from the scene start, padded with silence and cut to exactly the scene's length. */
function sceneAudio(frames: number, fps: number): string {
  const samples = Math.round((frames / fps) * AUDIO_SAMPLE_RATE);
  return [
    `aresample=${AUDIO_SAMPLE_RATE}`,
    // The AAC encoder needs planar float; stereo so every platform plays both channels.
    `aformat=${filterOptions({ sample_fmts: 'fltp', sample_rates: AUDIO_SAMPLE_RATE, channel_layouts: 'stereo' })}`,
    'apad',
    `atrim=end_sample=${samples}`,
    'asetpts=PTS-STARTPTS',
  ].join(',');
}

/** '#1A2B3C' → '0x1A2B3C'; anything else is refused rather than handed to ffmpeg. */
function ffmpegColor(hex: string): string {
  const match = /^#([0-9a-fA-F]{6})$/.exec(hex);
  if (!match) throw new Error(`palette colour ${JSON.stringify(hex)} is not a #RRGGBB hex colour`);
  return `0x${match[1]}`;
}
