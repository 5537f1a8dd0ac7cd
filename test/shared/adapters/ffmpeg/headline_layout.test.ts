import { expect } from 'chai';
import { VIDEO_FORMATS } from '../../../../shared/domain/formats';
import { bundledHeadlineFont } from '../../../../shared/adapters/ffmpeg/bundled_font';
import { FontMetrics } from '../../../../shared/adapters/ffmpeg/font_metrics';
import {
  SAFE_MARGIN,
  balancedWrap,
  layoutHeadline,
  type HeadlineLayout,
} from '../../../../shared/adapters/ffmpeg/headline_layout';

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
