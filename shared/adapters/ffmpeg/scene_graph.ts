import { join } from 'node:path';
import type { VideoFormat } from '../../domain/formats';
import type { SubtitleCue } from '../../ports/media';
import type { Manifest, Scene } from '../../schemas/manifest';
import { filterOptions } from './filtergraph_escape';
import { mediaBackground, type MediaSource } from './media_background';
import {
  layoutSceneText,
  layoutSubtitle,
  type EndCardLayout,
  type HeadlineFont,
  type HeadlineLayout,
  type HeadlineLine,
  type LowerThirdLayout,
} from './headline_layout';

export interface TextFile {
  path: string;
  content: string;
}

/** Everything one ffmpeg run needs: its arguments and the text files they refer to. */
export interface RenderPlan {
  args: string[];
  textFiles: TextFile[];
}

/** A font file for drawtext and its metrics for the layout. */
export interface FontFace {
  file: string;
  metrics: HeadlineFont;
}

export interface SceneFontFaces {
  headline: FontFace;
  body: FontFace;
}

export interface SceneVideoInput {
  manifest: Manifest;
  sceneIndex: number;
  format: VideoFormat;
  /** The scene's length on the frame grid (see sceneFrameCounts). */
  frames: number;
  /** Cues on the scene's own timeline: 0 is the scene's first frame. */
  subtitles: readonly SubtitleCue[];
  /** Offsets from the scene's start where the background cuts to its next look. */
  beatsSec: readonly number[];
  fonts: SceneFontFaces;
  /** Directory the text files go to (one file per line of text); absolute. */
  textDir: string;
  /** A generated picture behind the scene instead of the brand-colour glow. */
  media?: MediaSource;
}

/** The filter chains that draw one scene, ending in the pad the caller names, and the text files they read. */
export interface SceneVideo {
  chains: string[];
  textFiles: TextFile[];
}

export interface SceneClipInput extends Omit<SceneVideoInput, 'frames' | 'subtitles' | 'media'> {
  /** Cues on the ad's timeline; those outside the scene are left out. */
  subtitles: readonly SubtitleCue[];
  /** A generated keyframe or clip to put behind the scene. */
  background?: { kind: MediaSource['kind']; path: string; durationSec?: number };
  /** Where ffmpeg writes the clip (the caller renames it into place). */
  outPath: string;
}

/**
 * H.264 every renderer writes. Clips of one format come out with identical stream parameters and a closed,
 * fixed 2 s GOP, so they join with the concat demuxer without re-encoding. Colours are converted to YUV
 * with the BT.601 matrix (swscale's and drawtext's default) and tagged so: untagged HD is shown as BT.709,
 * which would shift the brand's colours.
 */
export const VIDEO_ENCODING: readonly string[] = [
  '-c:v', 'libx264', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-preset', 'veryfast', '-crf', '21',
  '-g', '60', '-keyint_min', '60', '-sc_threshold', '0',
  '-colorspace', 'smpte170m', '-color_primaries', 'bt709', '-color_trc', 'bt709',
];

/** Scene durations may be off by rounding in the planner, not by more. */
const SCENE_TIMING_TOLERANCE_SEC = 0.05;

/**
 * The background is drawn at 1/8 size and upscaled: a smooth ramp loses nothing, and a full-size gradient
 * alone held the graph to ~31 fps at 1080×1920 (232 fps small; see the platform notes).
 */
const BACKGROUND_DOWNSCALE = 8;
/**
 * The background is a soft radial glow that orbits the frame centre, so no frame repeats the one before;
 * capped so long stretches without a beat stay calm.
 */
const GLOW_TURN_RAD_PER_SEC = 0.3;
const GLOW_MAX_TURN_RAD = 0.8;
/** The smallest rotation step the gradients filter accepts, in radians per frame. */
const GLOW_MIN_SPEED = 1e-5;
/** Where the glow (the palette's bottom colour) sits, as a share of width and height: low, so the palette still reads top to bottom. */
const GLOW_CENTRE = { x: 0.7, y: 0.78 };
/** A look's two colours are kept at least this contrast ratio apart, so the glow, and with it the motion, shows. */
const GLOW_MIN_CONTRAST = 1.5;
/**
 * Every other look moves both colours this far towards white (or black, for a light palette). That changes
 * mean luma by ≥ 55 levels, where ffmpeg's scene score passes the QA's shot threshold of 0.3 at ~30.
 */
const LOOK_SHIFT = 0.5;
/** A scene's first frame is at least this much brighter than the tint (~44 of 219 luma levels: scene score ≥ 0.4). */
const OPENING_MIN_LUMA_JUMP = 0.2;
/** A scene ends dipping into a dark tint of the ad's first colour, this much of the colour kept. */
const TINT_SHARE = 0.2;
const DIP_SEC = 0.25;
/**
 * The dip ends on a few frames of the tint alone. Shot detection scores a change against the change just
 * before it, so the next scene's first frame, after frames that did not change, scores its full jump.
 */
const DIP_HOLD_FRAMES = 2;
/** The accent (name bar stripe, end card bar) is the ad's lighter colour, lightened to at least this luminance. */
const ACCENT_MIN_LUMINANCE = 0.4;

/** Each headline line fades in and rises a little, one after another: the whole block within 0.9 s. */
const TEXT_FADE_DELAY_SEC = 0.15;
const TEXT_LINE_STAGGER_SEC = 0.08;
const TEXT_MAX_STAGGER_SEC = 0.3;
const TEXT_FADE_SEC = 0.45;
/** Scenes shorter than this reveal their text proportionally faster, so it is read, not watched. */
const TEXT_FULL_PACE_SCENE_SEC = 2;
const TEXT_RISE_EM = 0.25;
/** The name bar follows the headline in, sliding a little from the right. */
const NAME_BAR_DELAY_SEC = 0.45;
const NAME_BAR_FADE_SEC = 0.35;
const NAME_BAR_SLIDE_EM = 1;
/** On the end card, the card comes in first, the bar and then the brand name after the call to action. */
const END_CARD_PANEL_DELAY_SEC = 0;
const END_CARD_BAR_DELAY_SEC = 0.5;
const END_CARD_BRAND_DELAY_SEC = 0.65;
const END_CARD_FADE_SEC = 0.4;

const TEXT_COLOR = 'white';
const HEADLINE_BOX_COLOR = 'black@0.45';
const SUBTITLE_BOX_COLOR = 'black@0.6';
const NAME_BAR_COLOR = 'black@0.55';
/** The end card's text has no boxes: the card behind it, in the ad's dark tint, keeps white text readable on any look. */
const END_CARD_OPACITY = 0.75;

/**
 * The ffmpeg run that renders one scene of one format as a video-only clip of exactly the scene's frames
 * on the ad's frame grid, with the cues spoken in it burned in.
 */
export function buildSceneClipPlan(input: SceneClipInput): RenderPlan {
  const { manifest, sceneIndex, format } = input;
  const frames = sceneFrameCounts(manifest, format.fps);
  if (frames[sceneIndex] === undefined) throw new Error(`no scene ${sceneIndex} in a ${frames.length}-scene manifest`);
  // Where the clip really starts once clips are joined: the sum of the frames before it, not the planned start.
  const clipStartSec = frames.slice(0, sceneIndex).reduce((sum, n) => sum + n, 0) / format.fps;
  const subtitles = input.subtitles.map((cue) => ({
    ...cue,
    startSec: cue.startSec - clipStartSec,
    endSec: cue.endSec - clipStartSec,
  }));
  const media = input.background && { kind: input.background.kind, input: '0:v', durationSec: input.background.durationSec };
  const video = sceneVideo({ ...input, frames: frames[sceneIndex]!, subtitles, media }, 'v');
  const args = [
    '-hide_banner', '-nostdin', '-v', 'error', '-y',
    ...(input.background ? ['-i', input.background.path] : []),
    '-filter_complex', video.chains.join(';'),
    '-map', '[v]',
    ...VIDEO_ENCODING, '-r', String(format.fps),
    '-frames:v', String(frames[sceneIndex]),
    '-an',
    '-f', 'mp4', input.outPath,
  ];
  return { args, textFiles: video.textFiles };
}

/**
 * Frames per scene, from cumulative scene ends rounded to the frame grid, so rounding never accumulates
 * and the scenes add up to the manifest's duration. Equal to round(durationSec × fps) whenever the
 * planner's times lie on the frame grid.
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

/**
 * One scene's picture, ending in the pad `[output]`: the orbiting glow in the scene's palette, cutting to
 * its next look at each beat, its supers (headline and name bar, or the end card), its subtitles, and a dip
 * into the ad's dark tint before the next scene cuts in. Pads inside are named after the scene, so the
 * chains of several scenes can share one graph.
 */
export function sceneVideo(input: SceneVideoInput, output: string): SceneVideo {
  const { manifest, sceneIndex, format, frames } = input;
  const scene = manifest.scenes[sceneIndex];
  if (scene === undefined) throw new Error(`no scene ${sceneIndex} in a ${manifest.scenes.length}-scene manifest`);
  const colors = adColors(manifest);
  const timing = sceneTiming(frames, format.fps, sceneIndex < manifest.scenes.length - 1);
  const layout = layoutSceneText(scene, manifest.brandName, format.width, format.height, {
    headline: input.fonts.headline.metrics,
    body: input.fonts.body.metrics,
  });
  const files = new TextFiles(input.textDir, `scene${sceneIndex}`);
  const pad = (name: string) => `[s${sceneIndex}${name}]`;

  const lengths = lookLengths(frames, format.fps, input.beatsSec);
  const palette = scene.palette.map(parseHex) as [Rgb, Rgb];
  const chains = input.media
    ? mediaBackground({ source: input.media, lengths, format, sceneIndex, light: isLightPalette(palette), dip: dipFilters(lengths, timing, colors.tint), pad })
    : background(sceneLooks(palette, lengths.length, sceneIndex, colors.tint), lengths, format, timing, colors.tint, pad);
  let picture: string[];
  if (layout.kind === 'headline') {
    const bar = lowerThird(layout.lowerThird, timing, colors.accent, input.fonts.body.file, files.add('brand', manifest.brandName), pad);
    const headline = headlineText(layout.headline, timing, input.fonts.headline.file, files);
    chains.push(bar.source, chain(pad('bg'), headline, pad('base')));
    picture = [bar.overlay(pad('base')), bar.name];
  } else {
    const card = endCardPanel(layout.endCard, timing, colors.tint, pad);
    const bar = endCardBar(layout.endCard, timing, colors.accent, pad);
    chains.push(card.source, bar.source);
    const cta = endCardText(layout.endCard, timing, input.fonts.headline.file, files);
    chains.push(chain('', [card.overlay(pad('bg')), ...cta], pad('base')));
    picture = [bar.overlay(pad('base')), endCardBrand(layout.endCard, timing, input.fonts.body.file, files)];
  }
  picture.push(...subtitleText(input.subtitles, timing, format, input.fonts.body, files));
  chains.push(chain('', picture, `[${output}]`));
  return { chains, textFiles: files.written };
}

/** `input` through `filters` to `output`; a pass-through when there are none (a headline of only spaces). */
function chain(input: string, filters: readonly string[], output: string): string {
  return `${input}${filters.length > 0 ? filters.join(',') : 'null'}${output}`;
}

/** Text files of one scene, named after the scene and what they hold. */
class TextFiles {
  readonly written: TextFile[] = [];

  constructor(
    private readonly dir: string,
    private readonly prefix: string,
  ) {}

  add(name: string, content: string): string {
    const path = join(this.dir, `${this.prefix}-${name}.txt`);
    this.written.push({ path, content });
    return path;
  }
}

interface SceneTiming {
  sceneSec: number;
  /** Shorter scenes play their entrances faster: 1 at full pace. */
  pace: number;
  /** The dip at the end: frames fading into the tint, then frames held on it; none in the ad's last scene. */
  dip: { fadeFrames: number; holdFrames: number } | null;
  fps: number;
}

function sceneTiming(frames: number, fps: number, hasDip: boolean): SceneTiming {
  // The dip takes at most a quarter of a very short scene, so its middle is always clear.
  const dipFrames = Math.min(Math.round(DIP_SEC * fps), Math.floor(frames / 4));
  const holdFrames = Math.min(DIP_HOLD_FRAMES, dipFrames - 1);
  return {
    sceneSec: frames / fps,
    pace: Math.min(1, frames / fps / TEXT_FULL_PACE_SCENE_SEC),
    dip: hasDip && dipFrames > 1 ? { fadeFrames: dipFrames - holdFrames, holdFrames } : null,
    fps,
  };
}

/** 0 → 1 from `startSec` over `durationSec`, then back to 0 in the dip: how much of an element shows. */
function visibility(startSec: number, durationSec: number, timing: SceneTiming): string {
  const entering = fadeIn(startSec, durationSec);
  return timing.dip === null ? entering : `${entering}*${fadeOut(timing)}`;
}

/** 0 → 1 from `startSec` over `durationSec`. */
function fadeIn(startSec: number, durationSec: number): string {
  return `clip((t-${startSec.toFixed(3)})/${durationSec.toFixed(3)},0,1)`;
}

/** 1 → 0 as the picture fades into the dip. */
function fadeOut(timing: SceneTiming): string {
  const { startSec, durationSec } = dipFade(timing);
  return `clip((${(startSec + durationSec).toFixed(3)}-t)/${durationSec.toFixed(3)},0,1)`;
}

/** When the picture fades into the tint, in seconds. */
function dipFade(timing: SceneTiming): { startSec: number; durationSec: number } {
  const { fadeFrames, holdFrames } = timing.dip ?? { fadeFrames: 0, holdFrames: 0 };
  return {
    startSec: timing.sceneSec - (fadeFrames + holdFrames) / timing.fps,
    durationSec: fadeFrames / timing.fps,
  };
}

/** The lengths, in frames, of the stretches between the scene's start, its beats (on the frame grid) and its end. */
function lookLengths(frames: number, fps: number, beatsSec: readonly number[]): number[] {
  const cuts = [...new Set(beatsSec.map((beat) => Math.round(beat * fps)))]
    .filter((frame) => frame > 0 && frame < frames)
    .sort((a, b) => a - b);
  return [0, ...cuts].map((start, i) => (cuts[i] ?? frames) - start);
}

interface Look {
  glow: Rgb;
  edge: Rgb;
  /** The glow on the left rather than the right. */
  mirror: boolean;
}

/**
 * One look per stretch: the palette (glow in its bottom colour, the top colour around it) and a shifted
 * version of it, alternating, the glow changing sides at each cut. A scene opens on the palette itself
 * unless that is too close to the dark tint the scene before dipped into, when it opens on the lighter
 * look: scene starts must be cuts that shot detection sees, as beats are.
 */
function isLightPalette([top, bottom]: [Rgb, Rgb]): boolean {
  return (luma(top) + luma(bottom)) / 2 > 0.5;
}

function sceneLooks(palette: [Rgb, Rgb], count: number, sceneIndex: number, tint: Rgb): Look[] {
  const [top, bottom] = palette;
  const isLight = isLightPalette(palette);
  const shift = (color: Rgb) => mix(color, isLight ? BLACK : WHITE, LOOK_SHIFT);
  const base = withGlowContrast(bottom, top);
  const shifted = withGlowContrast(shift(bottom), shift(top));
  // Every pixel of a look lies between its two colours: the darker bounds the jump from the tint.
  const jump = (look: [Rgb, Rgb]) => Math.min(luma(look[0]), luma(look[1])) - luma(tint);
  const opensOnBase = jump(base) >= OPENING_MIN_LUMA_JUMP || jump(base) >= jump(shifted);
  const pair = opensOnBase ? [base, shifted] : [shifted, base];
  return Array.from({ length: count }, (_, i) => ({
    glow: pair[i % 2]![0],
    edge: pair[i % 2]![1],
    mirror: (sceneIndex + i) % 2 === 1,
  }));
}

/**
 * The background chains, ending in the pad `bg`: per stretch a small radial gradient turning about the
 * frame centre through its set position at mid-stretch, joined, dipped into the tint at the scene's end,
 * and upscaled.
 */
function background(
  looks: readonly Look[],
  lengths: readonly number[],
  format: VideoFormat,
  timing: SceneTiming,
  tint: Rgb,
  pad: (name: string) => string,
): string[] {
  const width = Math.ceil(format.width / BACKGROUND_DOWNSCALE);
  const height = Math.ceil(format.height / BACKGROUND_DOWNSCALE);
  const sources = lengths.map((frames, i) => `${glow(looks[i]!, frames, width, height, format.fps)}${pad(`look${i}`)}`);
  const looksIn = lengths.map((_, i) => pad(`look${i}`)).join('');
  const joined = lengths.length > 1 ? `${looksIn}concat=n=${lengths.length}:v=1:a=0,` : looksIn;
  // Faded on the small frame, before upscaling: the cheapest place, and the tint stays an exact RGB colour.
  const picture = [
    ...dipFilters(lengths, timing, tint),
    `scale=${format.width}:${format.height}:flags=bilinear`,
    'format=yuv420p',
    // The small frame's rounded size may differ from the output's aspect by a hair: keep pixels square.
    'setsar=1',
  ];
  return [...sources, `${joined}${picture.join(',')}${pad('bg')}`];
}

/** The fade into the tint at the scene's end; the held frames after it are the tint alone (the filter's state past its end). */
function dipFilters(lengths: readonly number[], timing: SceneTiming, tint: Rgb): string[] {
  if (!timing.dip) return [];
  const frames = lengths.reduce((sum, n) => sum + n, 0);
  return [`fade=t=out:s=${frames - timing.dip.fadeFrames - timing.dip.holdFrames}:n=${timing.dip.fadeFrames}:c=${ffmpegHex(tint)}`];
}

/** One look's gradient for `frames` frames, on a `width` × `height` frame. */
function glow(look: Look, frames: number, width: number, height: number, fps: number): string {
  const turn = Math.min(GLOW_TURN_RAD_PER_SEC * (frames / fps), GLOW_MAX_TURN_RAD);
  const centreX = look.mirror ? 1 - GLOW_CENTRE.x : GLOW_CENTRE.x;
  // The filter turns both points clockwise about the frame centre by `speed` per frame: start half a turn
  // back. Points must lie inside the frame (the filter replaces points outside it with random ones).
  const start = (x: number, y: number) => rotateInside(x, y, -turn / 2, width, height);
  const [x0, y0] = start(centreX * width, GLOW_CENTRE.y * height);
  // The glow fades into the edge colour towards the top corner opposite it.
  const [x1, y1] = start(look.mirror ? width - 1 : 0, 0);
  const source = filterOptions({
    s: `${width}x${height}`,
    r: fps,
    c0: ffmpegHex(look.glow),
    c1: ffmpegHex(look.edge),
    x0, y0, x1, y1,
    nb_colors: 2,
    type: 'radial',
    speed: Math.max(turn / frames, GLOW_MIN_SPEED).toFixed(7),
  });
  return `gradients=${source},trim=end_frame=${frames}`;
}

function rotateInside(x: number, y: number, angle: number, width: number, height: number): [number, number] {
  const dx = x - width / 2;
  const dy = y - height / 2;
  const inside = (value: number, size: number) => Math.min(Math.max(Math.round(value), 0), size - 1);
  return [
    inside(width / 2 + dx * Math.cos(angle) - dy * Math.sin(angle), width),
    inside(height / 2 + dx * Math.sin(angle) + dy * Math.cos(angle), height),
  ];
}

/** The headline, one line per drawtext (drawtext in 5.1 cannot centre lines of a multi-line text itself). */
function headlineText(layout: HeadlineLayout, timing: SceneTiming, fontFile: string, files: TextFiles): string[] {
  return risingLines(layout, timing, fontFile, files, { color: HEADLINE_BOX_COLOR, border: layout.boxBorder });
}

/** The call to action: larger, and without boxes, as the card behind it keeps white text readable. */
function endCardText(layout: EndCardLayout, timing: SceneTiming, fontFile: string, files: TextFiles): string[] {
  return risingLines(layout.cta, timing, fontFile, files, null);
}

/** Centred lines that fade in one after another while rising a quarter em into place. */
function risingLines(
  layout: HeadlineLayout,
  timing: SceneTiming,
  fontFile: string,
  files: TextFiles,
  box: TextBox | null,
): string[] {
  const stagger = layout.lines.length > 1
    ? Math.min(TEXT_LINE_STAGGER_SEC, TEXT_MAX_STAGGER_SEC / (layout.lines.length - 1))
    : 0;
  const rise = Math.round(TEXT_RISE_EM * layout.fontSize);
  return layout.lines.map((line, j) => {
    const startSec = timing.pace * (TEXT_FADE_DELAY_SEC + j * stagger);
    const fadeSec = timing.pace * TEXT_FADE_SEC;
    return drawText({
      fontFile,
      textFile: files.add(`line${j}`, line.text),
      fontSize: layout.fontSize,
      box,
      x: '(w-text_w)/2',
      y: `${line.baselineY}-ascent+${rise}*(1-${fadeIn(startSec, fadeSec)})`,
      alpha: visibility(startSec, fadeSec, timing),
    });
  });
}

interface OverlayElement {
  /** The chain that makes the element's picture, ending in its pad. */
  source: string;
  /** The overlay of that picture onto the pad `base`. */
  overlay(base: string): string;
}

/** The name bar's panel and stripe as one small picture, overlaid (drawbox cannot fade), then the name on it. */
function lowerThird(
  layout: LowerThirdLayout,
  timing: SceneTiming,
  accent: Rgb,
  fontFile: string,
  textFile: string,
  pad: (name: string) => string,
): OverlayElement & { name: string } {
  const { panel } = layout;
  const startSec = timing.pace * NAME_BAR_DELAY_SEC;
  const fadeSec = timing.pace * NAME_BAR_FADE_SEC;
  const entered = fadeIn(startSec, fadeSec);
  // Eases out of a slide from the right, ending on the safe area's left edge.
  const slide = `${Math.round(NAME_BAR_SLIDE_EM * layout.fontSize)}*(1-${entered})*(1-${entered})`;
  const picture = [
    `color=${filterOptions({ c: NAME_BAR_COLOR, s: `${panel.width - layout.stripeWidth}x${panel.height}`, r: timing.fps })}`,
    'format=yuva420p',
    `pad=${filterOptions({ w: panel.width, h: panel.height, x: layout.stripeWidth, y: 0, color: ffmpegHex(accent) })}`,
    ...alphaFades(startSec, fadeSec, timing),
  ];
  return {
    source: `${picture.join(',')}${pad('namebar')}`,
    overlay: (base) => `${base}${pad('namebar')}overlay=${filterOptions({ x: `${panel.x}+${slide}`, y: panel.y, shortest: 1 })}`,
    name: drawText({
      fontFile,
      textFile,
      fontSize: layout.fontSize,
      box: null,
      x: `${layout.textX}+${slide}`,
      y: `${layout.line.baselineY}-ascent`,
      alpha: visibility(startSec, fadeSec, timing),
    }),
  };
}

/** The card behind the end card's text, in first. */
function endCardPanel(layout: EndCardLayout, timing: SceneTiming, tint: Rgb, pad: (name: string) => string): OverlayElement {
  const { card } = layout;
  const color = `${ffmpegHex(tint)}@${END_CARD_OPACITY}`;
  const picture = [
    `color=${filterOptions({ c: color, s: `${card.width}x${card.height}`, r: timing.fps })}`,
    'format=yuva420p',
    ...alphaFades(timing.pace * END_CARD_PANEL_DELAY_SEC, timing.pace * END_CARD_FADE_SEC, timing),
  ];
  return {
    source: `${picture.join(',')}${pad('card')}`,
    overlay: (base) => `${base}${pad('card')}overlay=${filterOptions({ x: card.x, y: card.y, shortest: 1 })}`,
  };
}

function endCardBar(layout: EndCardLayout, timing: SceneTiming, accent: Rgb, pad: (name: string) => string): OverlayElement {
  const { bar } = layout;
  const picture = [
    `color=${filterOptions({ c: ffmpegHex(accent), s: `${bar.width}x${bar.height}`, r: timing.fps })}`,
    'format=yuva420p',
    ...alphaFades(timing.pace * END_CARD_BAR_DELAY_SEC, timing.pace * END_CARD_FADE_SEC, timing),
  ];
  return {
    source: `${picture.join(',')}${pad('bar')}`,
    overlay: (base) => `${base}${pad('bar')}overlay=${filterOptions({ x: bar.x, y: bar.y, shortest: 1 })}`,
  };
}

function endCardBrand(layout: EndCardLayout, timing: SceneTiming, fontFile: string, files: TextFiles): string {
  return drawText({
    fontFile,
    textFile: files.add('brand', layout.brand.line.text),
    fontSize: layout.brand.fontSize,
    box: null,
    x: '(w-text_w)/2',
    y: `${layout.brand.line.baselineY}-ascent`,
    alpha: visibility(timing.pace * END_CARD_BRAND_DELAY_SEC, timing.pace * END_CARD_FADE_SEC, timing),
  });
}

/** An overlaid picture's fade in, and its fade out into the dip when the scene has one. */
function alphaFades(startSec: number, durationSec: number, timing: SceneTiming): string[] {
  const fades = [`fade=${filterOptions({ t: 'in', st: startSec.toFixed(3), d: durationSec.toFixed(3), alpha: 1 })}`];
  if (timing.dip) {
    const { startSec: st, durationSec: d } = dipFade(timing);
    fades.push(`fade=${filterOptions({ t: 'out', st: st.toFixed(3), d: d.toFixed(3), alpha: 1 })}`);
  }
  return fades;
}

/**
 * Each cue's pages, shown only between the cue's times (clipped to the scene) and sharing that time in
 * proportion to their length; hard cuts, as subtitles do, except for the dip at the scene's end.
 */
function subtitleText(
  cues: readonly SubtitleCue[],
  timing: SceneTiming,
  format: VideoFormat,
  font: FontFace,
  files: TextFiles,
): string[] {
  const filters: string[] = [];
  let page = 0;
  for (const cue of cues) {
    const startSec = Math.max(0, cue.startSec);
    const endSec = Math.min(timing.sceneSec, cue.endSec);
    if (endSec <= startSec || cue.text.trim() === '') continue;
    const layout = layoutSubtitle(cue.text, format.width, format.height, font.metrics);
    const chars = layout.pages.map((lines) => lines.reduce((sum, line) => sum + line.text.length, 0));
    const totalChars = chars.reduce((sum, n) => sum + n, 0);
    let pageStart = startSec;
    layout.pages.forEach((lines, p) => {
      const pageEnd = pageStart + ((endSec - startSec) * chars[p]!) / totalChars;
      const enable = `gte(t,${pageStart.toFixed(3)})*lt(t,${pageEnd.toFixed(3)})`;
      for (const [j, line] of lines.entries()) {
        filters.push(subtitleLine(line, layout, enable, timing, font.file, files.add(`sub${page}-line${j}`, line.text)));
      }
      pageStart = pageEnd;
      page++;
    });
  }
  return filters;
}

function subtitleLine(
  line: HeadlineLine,
  layout: { fontSize: number; boxBorder: number },
  enable: string,
  timing: SceneTiming,
  fontFile: string,
  textFile: string,
): string {
  return drawText({
    fontFile,
    textFile,
    fontSize: layout.fontSize,
    box: { color: SUBTITLE_BOX_COLOR, border: layout.boxBorder },
    x: '(w-text_w)/2',
    y: `${line.baselineY}-ascent`,
    // Fully shown from its first frame; only the dip into the next scene fades it.
    alpha: timing.dip === null ? '1' : fadeOut(timing),
    enable,
  });
}

interface TextBox {
  color: string;
  border: number;
}

interface DrawTextSpec {
  fontFile: string;
  textFile: string;
  fontSize: number;
  box: TextBox | null;
  x: string;
  /** `ascent` is the line's tallest glyph, so `baseline - ascent` puts the baseline where the layout says. */
  y: string;
  /** Multiplies text and box; `t` is the scene's own time. */
  alpha: string;
  enable?: string;
}

function drawText(spec: DrawTextSpec): string {
  const options: Record<string, string | number> = {
    fontfile: spec.fontFile,
    textfile: spec.textFile,
    // The text is used as written: no %{...} expansion, so nothing in it needs escaping.
    expansion: 'none',
    fontsize: spec.fontSize,
    fontcolor: TEXT_COLOR,
  };
  if (spec.box) Object.assign(options, { box: 1, boxcolor: spec.box.color, boxborderw: spec.box.border });
  Object.assign(options, { x: spec.x, y: spec.y, alpha: spec.alpha });
  if (spec.enable) options.enable = spec.enable;
  return `drawtext=${filterOptions(options)}`;
}

type Rgb = [number, number, number];
const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];
const NEAR_BLACK_LUMINANCE = 0.005;

/** The ad's own colours, from its first scene's palette, so every clip of the ad agrees on them. */
function adColors(manifest: Manifest): { tint: Rgb; accent: Rgb } {
  const palette = firstScene(manifest).palette.map(parseHex);
  const lighter = palette.reduce((a, b) => (luminance(b) > luminance(a) ? b : a));
  let accent = lighter;
  for (let share = 0.1; luminance(accent) < ACCENT_MIN_LUMINANCE; share += 0.1) accent = mix(lighter, WHITE, share);
  return { tint: mix(BLACK, palette[0]!, TINT_SHARE), accent };
}

function firstScene(manifest: Manifest): Scene {
  const scene = manifest.scenes[0];
  if (scene === undefined) throw new Error('a manifest without scenes');
  return scene;
}

/** '#1A2B3C' → [26, 43, 60]; anything else is refused rather than handed to ffmpeg. */
function parseHex(hex: string): Rgb {
  const match = /^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$/.exec(hex);
  if (!match) throw new Error(`palette colour ${JSON.stringify(hex)} is not a #RRGGBB hex colour`);
  return [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)];
}

function ffmpegHex(rgb: Rgb): string {
  return `0x${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('').toUpperCase()}`;
}

/** WCAG relative luminance, 0 (black) to 1 (white). */
function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** BT.601 luma, 0 to 1: what the video's Y plane, and shot detection, see. */
function luma(rgb: Rgb): number {
  return (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / 255;
}

/** `from` moved `share` of the way to `to`. */
function mix(from: Rgb, to: Rgb, share: number): Rgb {
  return from.map((c, i) => c + (to[i]! - c) * Math.min(1, share)) as Rgb;
}

/**
 * The palette with its two colours at least GLOW_MIN_CONTRAST apart, the darker darkened (or, when it is
 * black already, the lighter lightened): two near-equal colours would show no glow, and so no motion.
 */
function withGlowContrast(first: Rgb, second: Rgb): [Rgb, Rgb] {
  const firstIsLighter = luminance(first) >= luminance(second);
  let [light, dark] = firstIsLighter ? [first, second] : [second, first];
  while ((luminance(light) + 0.05) / (luminance(dark) + 0.05) < GLOW_MIN_CONTRAST) {
    if (luminance(dark) > NEAR_BLACK_LUMINANCE) dark = mix(dark, BLACK, 0.1);
    else light = mix(light, WHITE, 0.05);
  }
  return firstIsLighter ? [light, dark] : [dark, light];
}

