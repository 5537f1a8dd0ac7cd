import { expect } from 'chai';
import { VIDEO_FORMATS } from '../../../../shared/domain/formats';
import { bundledBodyFont, bundledHeadlineFont } from '../../../../shared/adapters/ffmpeg/bundled_font';
import { FontMetrics } from '../../../../shared/adapters/ffmpeg/font_metrics';
import {
  SAFE_MARGIN,
  balancedWrap,
  layoutHeadline,
  layoutSceneText,
  layoutSubtitle,
  type HeadlineFont,
  type HeadlineLayout,
  type HeadlineLine,
  type Rect,
  type SceneFonts,
} from '../../../../shared/adapters/ffmpeg/headline_layout';
import { SCENE_ROLES } from '../../../../shared/schemas/manifest';

/** The longest supers the manifest allows (140 characters), in shapes that stress wrapping. */
const HARD_TEXTS = {
  'wide capitals': Array.from({ length: 28 }, () => 'WWWW').join(' ').slice(0, 140),
  'one unbroken word': 'M'.repeat(140),
  'a long url': `Visit https://www.example.com/${'offers/'.repeat(15)}`.slice(0, 140),
  'an ordinary sentence':
    'Fresh roasted beans delivered every single week, so your mornings start with the best coffee ' +
    'you have tasted — try it free.',
};

describe('layoutHeadline', () => {
  let font: FontMetrics;
  before(async () => {
    font = await FontMetrics.load(bundledHeadlineFont());
  });

  for (const format of Object.values(VIDEO_FORMATS)) {
    describe(`in ${format.aspectRatio} (${format.width}x${format.height})`, () => {
      const safeLeft = format.width * SAFE_MARGIN;
      const safeRight = format.width * (1 - SAFE_MARGIN);
      const safeTop = format.height * SAFE_MARGIN;
      const safeBottom = format.height * (1 - SAFE_MARGIN);

      for (const [shape, text] of Object.entries(HARD_TEXTS)) {
        it(`keeps ${shape} inside the title-safe area`, () => {
          const layout = layoutHeadline(text, format.width, format.height, font);
          for (const line of layout.lines) {
            // drawtext centres the line: x = (w - text_w) / 2, and the box adds its border on both sides.
            const left = (format.width - line.widthPx) / 2 - layout.boxBorder;
            const right = (format.width + line.widthPx) / 2 + layout.boxBorder;
            expect(left, line.text).to.be.at.least(safeLeft);
            expect(right, line.text).to.be.at.most(safeRight);
          }
          const top = layout.lines[0]!.baselineY - font.ascenderEm * layout.fontSize - layout.boxBorder;
          const bottom = layout.lines.at(-1)!.baselineY + font.descenderEm * layout.fontSize + layout.boxBorder;
          expect(top).to.be.at.least(safeTop);
          expect(bottom).to.be.at.most(safeBottom);
          expect(layout.lines.map((line) => line.text).join('').replace(/\s/g, '')).to.equal(text.replace(/\s/g, ''));
        });
      }

      it('sets a short headline at the base size, centred on the frame', () => {
        const layout = layoutHeadline('Save 20% today', format.width, format.height, font);
        expect(layout.lines.map((line) => line.text)).to.deep.equal(['Save 20% today']);
        expect(layout.fontSize).to.equal(Math.round(Math.min(format.width * 0.075, format.height * 0.09)));
        const capsMiddle = layout.lines[0]!.baselineY - (font.capHeightEm * layout.fontSize) / 2;
        expect(capsMiddle).to.be.closeTo(format.height / 2, 1);
      });
    });
  }

  it('shrinks the font when the block would not fit at the base size', () => {
    const short = layoutHeadline('Save today', 1080, 1080, font);
    const long = layoutHeadline(HARD_TEXTS['wide capitals'], 1080, 1080, font);
    expect(long.fontSize).to.be.below(short.fontSize);
  });

  it('centres the block in the band it is given, scaled as asked', () => {
    const band = { top: 200, bottom: 900 };
    const layout = layoutHeadline('Save 20% today', 1080, 1920, font, { band, scale: 1.2 });
    expect(layout.fontSize).to.equal(Math.round(81 * 1.2));
    const capsMiddle = layout.lines[0]!.baselineY - (font.capHeightEm * layout.fontSize) / 2;
    expect(capsMiddle).to.be.closeTo(550, 1);
  });

  it('spaces lines evenly, baseline to baseline', () => {
    const layout: HeadlineLayout = layoutHeadline(HARD_TEXTS['an ordinary sentence'], 1080, 1920, font);
    const gaps = layout.lines.slice(1).map((line, i) => line.baselineY - layout.lines[i]!.baselineY);
    expect(Math.max(...gaps) - Math.min(...gaps)).to.be.at.most(1);
  });
});

describe('balancedWrap', () => {
  const monospace = (text: string) => text.length * 10;

  it('evens out lines instead of leaving a lone last word', () => {
    const words = 'one two three four five six seven'.split(' ');
    // Greedy at 200 px would give "one two three four five" + "six seven".
    expect(balancedWrap(words, 230, monospace)).to.deep.equal(['one two three four', 'five six seven']);
  });

  it('cuts a word longer than the line between characters', () => {
    expect(balancedWrap(['abcdefghij'], 40, monospace)).to.deep.equal(['abcd', 'efgh', 'ij']);
  });

  it('never makes a line wider than the limit', () => {
    const words = 'a bb ccc dddd eeeee ffffff ggggggg'.split(' ');
    for (const width of [30, 70, 110, 150]) {
      for (const line of balancedWrap(words, width, monospace)) expect(monospace(line)).to.be.at.most(width);
    }
  });
});

describe('layoutSceneText and layoutSubtitle', () => {
  let fonts: SceneFonts;
  before(async () => {
    const [headline, body] = await Promise.all([
      FontMetrics.load(bundledHeadlineFont()),
      FontMetrics.load(bundledBodyFont()),
    ]);
    fonts = { headline, body };
  });

  /** The box drawtext draws around a centred line at `fontSize` with `border` padding, at its tallest. */
  function centredLineBox(line: HeadlineLine, width: number, fontSize: number, border: number, font: HeadlineFont): Rect {
    const top = line.baselineY - font.ascenderEm * fontSize - border;
    return {
      x: (width - line.widthPx) / 2 - border,
      y: top,
      width: line.widthPx + 2 * border,
      height: (font.ascenderEm + font.descenderEm) * fontSize + 2 * border,
    };
  }

  function expectInside(rect: Rect, outer: Rect, what: string) {
    expect(rect.x, `${what} left`).to.be.at.least(outer.x - 0.5);
    expect(rect.y, `${what} top`).to.be.at.least(outer.y - 0.5);
    expect(rect.x + rect.width, `${what} right`).to.be.at.most(outer.x + outer.width + 0.5);
    expect(rect.y + rect.height, `${what} bottom`).to.be.at.most(outer.y + outer.height + 0.5);
  }

  function bottomOf(rects: Rect[]): number {
    return Math.max(...rects.map((r) => r.y + r.height));
  }

  function topOf(rects: Rect[]): number {
    return Math.min(...rects.map((r) => r.y));
  }

  const LONG_BRAND = 'The Extraordinarily Long Named Coffee Roasting Company of Greater Springfield';

  for (const format of Object.values(VIDEO_FORMATS)) {
    const safe: Rect = {
      x: format.width * SAFE_MARGIN,
      y: format.height * SAFE_MARGIN,
      width: format.width * (1 - 2 * SAFE_MARGIN),
      height: format.height * (1 - 2 * SAFE_MARGIN),
    };

    describe(`in ${format.aspectRatio}`, () => {
      for (const role of SCENE_ROLES) {
        for (const [shape, text] of Object.entries(HARD_TEXTS)) {
          for (const brand of ['Acme', LONG_BRAND]) {
            it(`keeps a ${role} scene with ${shape} and a ${brand.length}-character brand inside the safe area, stacked above the subtitles`, () => {
              const layout = layoutSceneText({ role, onScreenText: text }, brand, format.width, format.height, fonts);
              const subtitle = layoutSubtitle('Two lines of subtitle text, as many as a cue may hold here', format.width, format.height, fonts.body);
              const subtitleBoxes = subtitle.pages[0]!.map((line) =>
                centredLineBox(line, format.width, subtitle.fontSize, subtitle.boxBorder, fonts.body),
              );
              subtitleBoxes.forEach((box) => expectInside(box, safe, 'subtitle'));
              if (layout.kind === 'headline') {
                expect(role).not.to.equal('call_to_action');
                const { headline, lowerThird } = layout;
                const headlineBoxes = headline.lines.map((line) =>
                  centredLineBox(line, format.width, headline.fontSize, headline.boxBorder, fonts.headline),
                );
                headlineBoxes.forEach((box) => expectInside(box, safe, 'headline'));
                expectInside(lowerThird.panel, safe, 'name bar');
                expect(lowerThird.textX + lowerThird.line.widthPx).to.be.at.most(lowerThird.panel.x + lowerThird.panel.width);
                expect(lowerThird.panel.x).to.equal(Math.floor(safe.x / 2) * 2);
                expect(bottomOf(headlineBoxes)).to.be.at.most(lowerThird.panel.y);
                expect(lowerThird.panel.y + lowerThird.panel.height).to.be.at.most(topOf(subtitleBoxes));
              } else {
                expect(role).to.equal('call_to_action');
                const { cta, bar, brand: name } = layout.endCard;
                const ctaBoxes = cta.lines.map((line) =>
                  centredLineBox(line, format.width, cta.fontSize, cta.boxBorder, fonts.headline),
                );
                const brandBox = centredLineBox(name.line, format.width, name.fontSize, 0, fonts.body);
                [...ctaBoxes, bar, brandBox].forEach((box) => expectInside(box, safe, 'end card'));
                expect(bottomOf(ctaBoxes)).to.be.at.most(bar.y);
                expect(bar.y + bar.height).to.be.at.most(brandBox.y);
                expect(brandBox.y + brandBox.height).to.be.at.most(topOf(subtitleBoxes));
              }
            });
          }
        }
      }

      it('sets the call to action larger than a headline', () => {
        const cta = layoutSceneText({ role: 'call_to_action', onScreenText: 'Try it' }, 'Acme', format.width, format.height, fonts);
        const hook = layoutSceneText({ role: 'hook', onScreenText: 'Try it' }, 'Acme', format.width, format.height, fonts);
        if (cta.kind !== 'end_card' || hook.kind !== 'headline') throw new Error('unexpected layouts');
        expect(cta.endCard.cta.fontSize).to.be.above(hook.headline.fontSize);
      });

      it('puts a one-line subtitle on the bottom line of the band, and pages a long cue two lines at a time', () => {
        const short = layoutSubtitle('Hello there', format.width, format.height, fonts.body);
        const long = layoutSubtitle(HARD_TEXTS['an ordinary sentence'].repeat(2), format.width, format.height, fonts.body);
        expect(short.pages).to.have.length(1);
        expect(short.pages[0]![0]!.baselineY).to.equal(long.pages[0]!.at(-1)!.baselineY);
        expect(long.pages.length).to.be.greaterThan(1);
        for (const page of long.pages) {
          expect(page.length).to.be.within(1, 2);
          for (const line of page) expect(line.widthPx + 2 * long.boxBorder).to.be.at.most(safe.width);
        }
        expect(long.fontSize).to.be.below(layoutHeadline('x', format.width, format.height, fonts.headline).fontSize);
      });
    });
  }
});

describe('layoutHeadline line breaks', () => {
  it('keeps the storyboard\'s own line breaks and wraps each part alone', async () => {
    const font = await FontMetrics.load(bundledHeadlineFont());
    const layout = layoutHeadline('Lumen cold brew cans\nBright coffee for early trains', 1080, 1920, font);
    const joined = layout.lines.map((line) => line.text);
    const breakAt = joined.findIndex((line) => line.startsWith('Bright'));
    expect(breakAt).to.be.greaterThan(0);
    expect(joined.slice(0, breakAt).join(' ')).to.equal('Lumen cold brew cans');
    expect(joined.slice(breakAt).join(' ')).to.equal('Bright coffee for early trains');
  });
});
