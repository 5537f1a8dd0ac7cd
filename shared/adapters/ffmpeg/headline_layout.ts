/** What the layout needs to know about the font drawtext will use (FontMetrics provides it). */
export interface HeadlineFont {
  widthEm(text: string): number;
  capHeightEm: number;
  ascenderEm: number;
  descenderEm: number;
}

export interface HeadlineLine {
  text: string;
  /** Width drawtext will give the line, in pixels, box excluded. */
  widthPx: number;
  /** Baseline position from the top of the frame; drawtext gets `y = baselineY - ascent`. */
  baselineY: number;
}

export interface HeadlineLayout {
  fontSize: number;
  /** Padding of the backing box around each line. */
  boxBorder: number;
  lines: HeadlineLine[];
}

/** Titles stay inside the middle 80 % of each axis: the usual title-safe area, clear of platform UI. */
export const SAFE_MARGIN = 0.1;
/** Headline size as a share of frame width, capped by height so 16:9 supers do not swamp the frame. */
const FONT_SIZE_PER_WIDTH = 0.075;
const FONT_SIZE_PER_HEIGHT = 0.09;
/** A 140-character super still fits at half the base size; below that it would not be readable anyway. */
const MIN_FONT_SCALE = 0.5;
const SHRINK_STEP = 0.9;
const LINE_HEIGHT_EM = 1.32;
const BOX_BORDER_EM = 0.15;
/** drawtext rounds each hinted advance to whole pixels: measured ≤ 0.4 px a glyph above the font's advances. */
const HINTING_SLACK_PX = 0.5;

/**
 * Wraps a headline into centred lines inside the title-safe area of a `width` × `height` frame, shrinking the
 * font until the block fits, and balancing line lengths so the last line is not a lone word.
 */
export function layoutHeadline(text: string, width: number, height: number, font: HeadlineFont): HeadlineLayout {
  const words = text.split(/\s+/).filter((word) => word.length > 0);
  const safeWidth = width * (1 - 2 * SAFE_MARGIN);
  const safeHeight = height * (1 - 2 * SAFE_MARGIN);
  const baseSize = Math.round(Math.min(width * FONT_SIZE_PER_WIDTH, height * FONT_SIZE_PER_HEIGHT));
  const minSize = Math.round(baseSize * MIN_FONT_SCALE);

  for (let fontSize = baseSize; ; fontSize = Math.max(minSize, Math.floor(fontSize * SHRINK_STEP))) {
    const boxBorder = Math.round(fontSize * BOX_BORDER_EM);
    const lineHeight = Math.round(fontSize * LINE_HEIGHT_EM);
    const measure = (line: string) => font.widthEm(line) * fontSize + HINTING_SLACK_PX * [...line].length;
    const lines = balancedWrap(words, Math.floor(safeWidth - 2 * boxBorder), measure);
    // The box of the top line reaches the ascender, that of the bottom line the descender.
    const blockHeight =
      (lines.length - 1) * lineHeight + (font.ascenderEm + font.descenderEm) * fontSize + 2 * boxBorder;
    if (blockHeight <= safeHeight || fontSize === minSize) {
      // Centre the block on the capitals' middle, which is where the eye puts the centre of a headline.
      const firstBaseline = height / 2 - ((lines.length - 1) * lineHeight) / 2 + (font.capHeightEm * fontSize) / 2;
      return {
        fontSize,
        boxBorder,
        lines: lines.map((line, i) => ({
          text: line,
          widthPx: measure(line),
          baselineY: Math.round(firstBaseline + i * lineHeight),
        })),
      };
    }
  }
}

/** Greedy wrap at `maxWidth`, then the narrowest width that needs no more lines, so lines come out even. */
export function balancedWrap(words: readonly string[], maxWidth: number, measure: (text: string) => number): string[] {
  const greedy = greedyWrap(words, maxWidth, measure);
  let low = 0;
  let high = maxWidth;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (greedyWrap(words, middle, measure).length <= greedy.length) high = middle;
    else low = middle;
  }
  return greedyWrap(words, high, measure);
}

function greedyWrap(words: readonly string[], maxWidth: number, measure: (text: string) => number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of words.flatMap((w) => breakLongWord(w, maxWidth, measure))) {
    const candidate = current ? `${current} ${word}` : word;
    if (current && measure(candidate) > maxWidth) {
      lines.push(current);
      current = word;
    } else {
      current = candidate;
    }
  }
  if (current) lines.push(current);
  return lines;
}

/** A word wider than the line (a URL, a long compound) is cut between characters rather than overflow. */
function breakLongWord(word: string, maxWidth: number, measure: (text: string) => number): string[] {
  if (measure(word) <= maxWidth) return [word];
  const pieces: string[] = [];
  let piece = '';
  for (const char of word) {
    if (piece && measure(piece + char) > maxWidth) {
      pieces.push(piece);
      piece = char;
    } else {
      piece += char;
    }
  }
  if (piece) pieces.push(piece);
  return pieces;
}
