import { access, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ContactSheetFrame, StillRenderer } from '../../ports/media';
import { bundledBodyFont } from './bundled_font';
import { filterOptions } from './filtergraph_escape';
import { FontMetrics } from './font_metrics';
import { balancedWrap, measurer, type HeadlineFont } from './headline_layout';
import { runTool } from './run_tool';
import type { RenderPlan } from './scene_graph';

export interface ContactSheetInput {
  /** Absolute, so ffmpeg never reads a name like "concat:x" as a protocol. */
  videoPath: string;
  frames: readonly ContactSheetFrame[];
  fontFile: string;
  font: HeadlineFont;
  /** Directory the label text files go to; absolute. */
  textDir: string;
  outPath: string;
}

/** Every frame is shown this wide, whatever the format: wide enough to read its label under it. */
export const SHEET_CELL_WIDTH = 360;
/** A label gets up to three lines under its frame; longer ones end in an ellipsis. */
export const SHEET_LABEL_HEIGHT = 92;
export const SHEET_GAP = 8;
/** Rows hold up to four frames; rows are then evened out (six frames: two rows of three). */
const SHEET_MAX_COLUMNS = 4;
const LABEL_FONT_SIZE = 18;
const LABEL_LINE_HEIGHT = 24;
const LABEL_PADDING = 10;
const LABEL_MAX_LINES = 3;
const SHEET_BACKGROUND = '0x16161A';
const LABEL_COLOR = '0xE8E8EC';
/** Past the seek point, frames the decoder may read before the first one it keeps. */
const SEEK_WINDOW_SEC = 1;

/** Poster frames and storyboard contact sheets from a rendered file, as PNG. */
export class FfmpegStills implements StillRenderer {
  private font: Promise<HeadlineFont> | null = null;

  constructor(
    private readonly ffmpegPath: string,
    private readonly fontFile: string = bundledBodyFont(),
  ) {}

  /** The frame at `atSec`, full size. */
  async poster(videoPath: string, atSec: number, outPath: string): Promise<void> {
    await this.writePng(outPath, (partialPath) => ({
      args: [
        '-hide_banner', '-nostdin', '-v', 'error', '-y',
        ...seekInput(resolve(videoPath), atSec),
        '-map', '0:v:0',
        ...pngOutput(partialPath),
      ],
      textFiles: [],
    }));
  }

  /** One PNG: the frames in a grid, each with its label underneath. */
  async contactSheet(videoPath: string, frames: ContactSheetFrame[], outPath: string): Promise<void> {
    if (frames.length === 0) throw new Error('a contact sheet needs at least one frame');
    const font = await this.loadFont();
    // Label files go next to the sheet, in a directory of their own: several sheets may be made at once.
    await mkdir(dirname(resolve(outPath)), { recursive: true });
    const textDir = await mkdtemp(join(dirname(resolve(outPath)), '.sheet-labels-'));
    try {
      await this.writePng(outPath, (partialPath) =>
        buildContactSheetPlan({
          videoPath: resolve(videoPath),
          frames,
          fontFile: resolve(this.fontFile),
          font,
          textDir,
          outPath: partialPath,
        }),
      );
    } finally {
      await rm(textDir, { recursive: true, force: true });
    }
  }

  /** Runs a plan writing `<outPath>.partial` and renames it into place; no file means no frame was there. */
  private async writePng(outPath: string, planFor: (partialPath: string) => RenderPlan): Promise<void> {
    const target = resolve(outPath);
    const partialPath = `${target}.partial`;
    await mkdir(dirname(target), { recursive: true });
    try {
      const plan = planFor(partialPath);
      await Promise.all(plan.textFiles.map((file) => writeFile(file.path, file.content, 'utf8')));
      await runTool(this.ffmpegPath, plan.args);
      // ffmpeg exits 0 having written nothing when a seek lands past the end.
      await access(partialPath).catch((error: unknown) => {
        throw new Error(`no frame to take for ${outPath}: a time past the end of the video?`, { cause: error });
      });
      await rename(partialPath, target);
    } finally {
      await rm(partialPath, { force: true });
    }
  }

  private loadFont(): Promise<HeadlineFont> {
    this.font ??= FontMetrics.load(this.fontFile);
    return this.font;
  }
}

/**
 * One ffmpeg run: each frame read by its own fast seek, scaled down, given a label strip and its label,
 * and all of them tiled in order.
 */
export function buildContactSheetPlan(input: ContactSheetInput): RenderPlan {
  const { frames } = input;
  const { columns, rows } = sheetGrid(frames.length);
  const textFiles: RenderPlan['textFiles'] = [];
  const chains = frames.map((frame, i) => {
    const lines = labelLines(frame.label, input.font).map((text, j) => {
      const path = join(input.textDir, `label${i}-line${j}.txt`);
      textFiles.push({ path, content: text });
      return drawLabelLine(path, j, input.fontFile);
    });
    return [
      `[${i}:v]trim=end_frame=1`,
      `scale=${SHEET_CELL_WIDTH}:-2:flags=area`,
      `pad=${filterOptions({ w: 'iw', h: `ih+${SHEET_LABEL_HEIGHT}`, x: 0, y: 0, color: SHEET_BACKGROUND })}`,
      ...lines,
      'setpts=PTS-STARTPTS',
    ].join(',') + `[cell${i}]`;
  });
  const cells = frames.map((_, i) => `[cell${i}]`).join('');
  const tile = filterOptions({ layout: `${columns}x${rows}`, padding: SHEET_GAP, margin: SHEET_GAP, color: SHEET_BACKGROUND });
  chains.push(`${cells}concat=n=${frames.length}:v=1:a=0,tile=${tile}[sheet]`);
  const args = [
    '-hide_banner', '-nostdin', '-v', 'error', '-y',
    ...frames.flatMap((frame) => seekInput(input.videoPath, frame.atSec)),
    '-filter_complex', chains.join(';'),
    '-map', '[sheet]',
    ...pngOutput(input.outPath),
  ];
  return { args, textFiles };
}

/** Columns and rows of a sheet of `count` frames. */
export function sheetGrid(count: number): { columns: number; rows: number } {
  const rows = Math.ceil(count / SHEET_MAX_COLUMNS);
  return { columns: Math.ceil(count / rows), rows };
}

/** The label wrapped to the cell, at most three lines, the last cut short with an ellipsis if need be. */
export function labelLines(label: string, font: HeadlineFont): string[] {
  const measure = measurer(font, LABEL_FONT_SIZE);
  const maxWidth = SHEET_CELL_WIDTH - 2 * LABEL_PADDING;
  const words = label.split(/\s+/).filter((word) => word.length > 0);
  const lines = balancedWrap(words, maxWidth, measure);
  if (lines.length <= LABEL_MAX_LINES) return lines;
  let last = lines.slice(LABEL_MAX_LINES - 1).join(' ');
  while (last.length > 0 && measure(`${last}…`) > maxWidth) last = [...last].slice(0, -1).join('').trimEnd();
  return [...lines.slice(0, LABEL_MAX_LINES - 1), `${last}…`];
}

function drawLabelLine(textFile: string, index: number, fontFile: string): string {
  return `drawtext=${filterOptions({
    fontfile: fontFile,
    textfile: textFile,
    expansion: 'none',
    fontsize: LABEL_FONT_SIZE,
    fontcolor: LABEL_COLOR,
    x: LABEL_PADDING,
    // Lines from the top of the label strip; `ascent` puts every baseline one line height below the last.
    y: `h-${SHEET_LABEL_HEIGHT}+${LABEL_PADDING + Math.round(0.8 * LABEL_LINE_HEIGHT) + index * LABEL_LINE_HEIGHT}-ascent`,
  })}`;
}

/** A fast seek before the input (ffmpeg still decodes from the keyframe to the exact time), reading little. */
function seekInput(videoPath: string, atSec: number): string[] {
  if (!(atSec >= 0)) throw new Error(`cannot take a frame at ${atSec} s`);
  return ['-ss', atSec.toFixed(3), '-t', String(SEEK_WINDOW_SEC), '-i', videoPath];
}

function pngOutput(path: string): string[] {
  return ['-frames:v', '1', '-update', '1', '-c:v', 'png', '-f', 'image2', path];
}
