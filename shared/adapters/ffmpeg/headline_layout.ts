import type { Scene } from '../../schemas/manifest';

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

/** A horizontal stripe of the frame, top and bottom in pixels from the frame's top. */
export interface TextBand {
  top: number;
  bottom: number;
}

export interface HeadlineOptions {
  /** The band the block is centred in and must fit; the title-safe area's height when absent. */
  band?: TextBand;
  /** Multiplies the base size: a call to action is set larger than a headline. */
  scale?: number;
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
 * Wraps a headline into centred lines inside the title-safe area of a `width` × `height` frame (or the band
 * of it that `options` names), shrinking the font until the block fits, and balancing line lengths so the
 * last line is not a lone word. Line breaks in `text` are kept.
 */
export function layoutHeadline(
  text: string,
  width: number,
  height: number,
  font: HeadlineFont,
  options: HeadlineOptions = {},
): HeadlineLayout {
  // A line break in the storyboard is a break the writer meant (product, then promise): each part wraps alone.
  const paragraphs = text
    .split('\n')
    .map((part) => part.split(/\s+/).filter((word) => word.length > 0))
    .filter((words) => words.length > 0);
  const band = options.band ?? { top: height * SAFE_MARGIN, bottom: height * (1 - SAFE_MARGIN) };
  const safeWidth = width * (1 - 2 * SAFE_MARGIN);
  const headlineSize = Math.min(width * FONT_SIZE_PER_WIDTH, height * FONT_SIZE_PER_HEIGHT);
  const baseSize = Math.round(headlineSize * (options.scale ?? 1));
  // A larger start, not a larger floor: text that must shrink may shrink as far as any headline.
  const minSize = Math.round(headlineSize * MIN_FONT_SCALE);

  for (let fontSize = baseSize; ; fontSize = Math.max(minSize, Math.floor(fontSize * SHRINK_STEP))) {
    const boxBorder = Math.round(fontSize * BOX_BORDER_EM);
    const lineHeight = Math.round(fontSize * LINE_HEIGHT_EM);
    const measure = measurer(font, fontSize);
    const lines = paragraphs.flatMap((words) => balancedWrap(words, Math.floor(safeWidth - 2 * boxBorder), measure));
    // The box of the top line reaches the ascender, that of the bottom line the descender.
    const blockHeight =
      (lines.length - 1) * lineHeight + (font.ascenderEm + font.descenderEm) * fontSize + 2 * boxBorder;
    if (blockHeight <= band.bottom - band.top || fontSize === minSize) {
      // Centre the block on the capitals' middle, which is where the eye puts the centre of a headline.
      const middle = (band.top + band.bottom) / 2;
      const firstBaseline = middle - ((lines.length - 1) * lineHeight) / 2 + (font.capHeightEm * fontSize) / 2;
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

/** The width drawtext gives a line of `font` at `fontSize`, in pixels. */
export function measurer(font: HeadlineFont, fontSize: number): (text: string) => number {
  return (text) => font.widthEm(text) * fontSize + HINTING_SLACK_PX * [...text].length;
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

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The fonts a scene's text is set in: the heavy one for headlines, the lighter one for small text. */
export interface SceneFonts {
  headline: HeadlineFont;
  body: HeadlineFont;
}

/** The brand name in a bar at the bottom left: an accent stripe, then a panel the name sits on. */
export interface LowerThirdLayout {
  fontSize: number;
  line: HeadlineLine;
  /** Where the name starts, from the frame's left. */
  textX: number;
  panel: Rect;
  stripeWidth: number;
}

/** The call to action's own layout: on a card, large text, an accent bar under it, the brand name under that. */
export interface EndCardLayout {
  card: Rect;
  cta: HeadlineLayout;
  bar: Rect;
  brand: { fontSize: number; line: HeadlineLine };
}

export type SceneTextLayout =
  | { kind: 'headline'; headline: HeadlineLayout; lowerThird: LowerThirdLayout }
  | { kind: 'end_card'; endCard: EndCardLayout };

export interface SubtitleLayout {
  fontSize: number;
  boxBorder: number;
  /** What is shown one after another: at most two lines each, the last on the bottom of the safe area. */
  pages: HeadlineLine[][];
}

/** Subtitles: smaller than headlines, as a share of width, capped by height for 16:9. */
const SUBTITLE_SIZE_PER_WIDTH = 0.042;
const SUBTITLE_SIZE_PER_HEIGHT = 0.05;
const SUBTITLE_BOX_BORDER_EM = 0.2;
const SUBTITLE_LINES_PER_PAGE = 2;
/** Space between the subtitle band, the name bar and the headline band, in subtitle ems. */
const ZONE_GAP_EM = 0.5;
const LOWER_THIRD_SIZE_PER_SIDE = 0.036;
const LOWER_THIRD_PADDING_EM = 0.55;
const LOWER_THIRD_STRIPE_EM = 0.18;
const END_CARD_CTA_SCALE = 1.2;
const END_CARD_BRAND_SIZE_PER_WIDTH = 0.045;
const END_CARD_BRAND_SIZE_PER_HEIGHT = 0.055;
const END_CARD_BAR_WIDTH_PER_SIDE = 0.2;
const END_CARD_BAR_HEIGHT_PER_SIDE = 0.011;
const END_CARD_GAP_EM = 0.6;

/**
 * Where a scene's supers go. The bottom of the safe area is kept for two lines of subtitles in every scene,
 * whether or not it has any, so nothing jumps between scenes. Above it, a call to action gets the end card;
 * every other scene its headline, with the brand's name bar between headline and subtitles.
 */
export function layoutSceneText(
  scene: Pick<Scene, 'role' | 'onScreenText'>,
  brandName: string,
  width: number,
  height: number,
  fonts: SceneFonts,
): SceneTextLayout {
  const subtitles = subtitleGeometry(width, height, fonts.body);
  const gap = Math.round(ZONE_GAP_EM * subtitles.fontSize);
  const above = { top: height * SAFE_MARGIN, bottom: subtitles.bandTop - gap };
  if (scene.role === 'call_to_action') {
    return { kind: 'end_card', endCard: layoutEndCard(scene.onScreenText, brandName, width, height, above, fonts) };
  }
  const lowerThird = layoutLowerThird(brandName, width, height, above.bottom, fonts.body);
  const headline = layoutHeadline(scene.onScreenText, width, height, fonts.headline, {
    band: { top: above.top, bottom: lowerThird.panel.y - gap },
  });
  return { kind: 'headline', headline, lowerThird };
}

/** A subtitle cue wrapped to the safe width, in pages of at most two lines on the bottom of the safe area. */
export function layoutSubtitle(text: string, width: number, height: number, font: HeadlineFont): SubtitleLayout {
  const { fontSize, boxBorder, lineHeight, lastBaseline } = subtitleGeometry(width, height, font);
  const words = text.split(/\s+/).filter((word) => word.length > 0);
  const measure = measurer(font, fontSize);
  const lines = balancedWrap(words, Math.floor(width * (1 - 2 * SAFE_MARGIN) - 2 * boxBorder), measure);
  const pages: HeadlineLine[][] = [];
  for (let first = 0; first < lines.length; first += SUBTITLE_LINES_PER_PAGE) {
    const page = lines.slice(first, first + SUBTITLE_LINES_PER_PAGE);
    pages.push(
      page.map((line, i) => ({
        text: line,
        widthPx: measure(line),
        baselineY: lastBaseline - (page.length - 1 - i) * lineHeight,
      })),
    );
  }
  return { fontSize, boxBorder, pages };
}

function subtitleGeometry(width: number, height: number, font: HeadlineFont) {
  const fontSize = Math.round(Math.min(width * SUBTITLE_SIZE_PER_WIDTH, height * SUBTITLE_SIZE_PER_HEIGHT));
  const boxBorder = Math.round(fontSize * SUBTITLE_BOX_BORDER_EM);
  const ascent = Math.ceil(font.ascenderEm * fontSize);
  const descent = Math.ceil(font.descenderEm * fontSize);
  // Boxes of stacked lines reach at most ascender and descender: spaced so that they never overlap.
  const lineHeight = ascent + descent + 2 * boxBorder;
  const lastBaseline = Math.floor(height * (1 - SAFE_MARGIN)) - boxBorder - descent;
  const bandTop = lastBaseline - (SUBTITLE_LINES_PER_PAGE - 1) * lineHeight - ascent - boxBorder;
  return { fontSize, boxBorder, lineHeight, lastBaseline, bandTop };
}

/** The name bar sits on `bottom`, from the left edge of the safe area; a long name is set smaller to fit. */
function layoutLowerThird(
  brandName: string,
  width: number,
  height: number,
  bottom: number,
  font: HeadlineFont,
): LowerThirdLayout {
  const safeWidth = width * (1 - 2 * SAFE_MARGIN);
  const baseSize = Math.round(Math.min(width, height) * LOWER_THIRD_SIZE_PER_SIDE);
  // The bar is (stripe + padding + name + padding) wide: solve for the size at which that fills the safe width.
  const fullWidthEm = font.widthEm(brandName) + LOWER_THIRD_STRIPE_EM + 2 * LOWER_THIRD_PADDING_EM;
  const fitSize = Math.floor((safeWidth - HINTING_SLACK_PX * [...brandName].length) / fullWidthEm);
  const fontSize = Math.max(1, Math.min(baseSize, fitSize));
  const padding = Math.round(fontSize * LOWER_THIRD_PADDING_EM);
  const stripeWidth = evenCeil(fontSize * LOWER_THIRD_STRIPE_EM);
  const widthPx = measurer(font, fontSize)(brandName);
  const panelHeight = evenCeil(font.capHeightEm * fontSize + 2 * padding);
  const panel = {
    x: evenFloor(width * SAFE_MARGIN),
    y: evenFloor(bottom - panelHeight),
    width: Math.min(evenCeil(stripeWidth + 2 * padding + widthPx), evenFloor(safeWidth)),
    height: panelHeight,
  };
  return {
    fontSize,
    // Capitals centred in the panel, as in the headline.
    line: { text: brandName, widthPx, baselineY: Math.round(panel.y + (panelHeight + font.capHeightEm * fontSize) / 2) },
    textX: panel.x + stripeWidth + padding,
    panel,
    stripeWidth,
  };
}

/** The call to action, bar and brand name as one group on a card, centred in `band`. */
function layoutEndCard(
  cta: string,
  brandName: string,
  width: number,
  height: number,
  band: TextBand,
  fonts: SceneFonts,
): EndCardLayout {
  const side = Math.min(width, height);
  const safeLeft = width * SAFE_MARGIN;
  const safeWidth = width * (1 - 2 * SAFE_MARGIN);
  const brandBase = Math.round(Math.min(width * END_CARD_BRAND_SIZE_PER_WIDTH, height * END_CARD_BRAND_SIZE_PER_HEIGHT));
  const fitSize = Math.floor((safeWidth - HINTING_SLACK_PX * [...brandName].length) / fonts.body.widthEm(brandName));
  const brandSize = Math.max(1, Math.min(brandBase, fitSize));
  // One gap apart: the card's edge, the call to action, the bar, the brand name, the card's edge.
  const gap = Math.round(END_CARD_GAP_EM * brandBase);
  const bar = { width: evenCeil(side * END_CARD_BAR_WIDTH_PER_SIDE), height: evenCeil(side * END_CARD_BAR_HEIGHT_PER_SIDE) };
  const brandAscent = Math.ceil(fonts.body.ascenderEm * brandSize);
  const below = gap + bar.height + gap + brandAscent + Math.ceil(fonts.body.descenderEm * brandSize);
  const layout = layoutHeadline(cta, width, height, fonts.headline, {
    band: { top: band.top + gap, bottom: band.bottom - gap - below },
    scale: END_CARD_CTA_SCALE,
  });
  // A call to action of only spaces has no lines: the group is then the bar and the name.
  const middle = (band.top + band.bottom - below) / 2;
  const ctaTop = (layout.lines[0]?.baselineY ?? middle) - fonts.headline.ascenderEm * layout.fontSize - layout.boxBorder;
  const ctaBottom = (layout.lines.at(-1)?.baselineY ?? middle) + fonts.headline.descenderEm * layout.fontSize + layout.boxBorder;
  // The headline layout centred the text alone; shift the whole group onto the band's middle.
  const shift = Math.round((band.top + band.bottom - (ctaTop + ctaBottom + below)) / 2);
  const barY = evenFloor(ctaBottom + shift + gap);
  const cardTop = evenFloor(ctaTop + shift - gap);
  return {
    card: {
      x: evenCeil(safeLeft),
      y: cardTop,
      width: evenFloor(safeWidth),
      height: evenFloor(ctaBottom + shift + below + gap - cardTop),
    },
    cta: { ...layout, lines: layout.lines.map((line) => ({ ...line, baselineY: line.baselineY + shift })) },
    bar: { x: evenFloor((width - bar.width) / 2), y: barY, ...bar },
    brand: {
      fontSize: brandSize,
      line: {
        text: brandName,
        widthPx: measurer(fonts.body, brandSize)(brandName),
        baselineY: barY + bar.height + gap + brandAscent,
      },
    },
  };
}

/** Overlays on 4:2:0 video land on whole chroma samples only at even sizes and positions. */
function evenCeil(value: number): number {
  return 2 * Math.ceil(value / 2);
}

function evenFloor(value: number): number {
  return 2 * Math.floor(value / 2);
}
