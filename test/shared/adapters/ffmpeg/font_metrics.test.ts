import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledHeadlineFont } from '../../../../shared/adapters/ffmpeg/bundled_font';
import { locateFfmpeg } from '../../../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { filterOptions } from '../../../../shared/adapters/ffmpeg/filtergraph_escape';
import { FontMetrics } from '../../../../shared/adapters/ffmpeg/font_metrics';
import { runTool } from '../../../../shared/adapters/ffmpeg/run_tool';

describe('FontMetrics', () => {
  let font: FontMetrics;
  before(async () => {
    font = await FontMetrics.load(bundledHeadlineFont());
  });

  it('reads the vertical metrics of Inter', () => {
    expect(font.capHeightEm).to.be.closeTo(0.727, 0.01);
    expect(font.ascenderEm).to.be.closeTo(0.969, 0.01);
    expect(font.descenderEm).to.be.closeTo(0.241, 0.01);
  });

  it('gives wide glyphs more room than narrow ones, and adds up a string', () => {
    expect(font.widthEm('W')).to.be.greaterThan(2 * font.widthEm('i'));
    expect(font.widthEm('Wi')).to.be.closeTo(font.widthEm('W') + font.widthEm('i'), 1e-9);
    expect(font.widthEm('')).to.equal(0);
  });

  it('counts characters the font lacks as its .notdef glyph', () => {
    // An unassigned BMP code point and a plane-15 private-use one: in neither cmap range of Inter.
    expect(font.widthEm('\u{F0000}')).to.equal(font.widthEm('\u0378'));
    expect(font.widthEm('\u0378')).to.be.greaterThan(0);
  });

  it('refuses a file that is not a font', () => {
    expect(() => FontMetrics.parse(Buffer.from('not a font at all, clearly'))).to.throw(/not an OpenType/);
  });

  describe('against drawtext', function () {
    this.timeout(30_000);
    let workDir: string;
    before(async () => {
      workDir = await mkdtemp(join(tmpdir(), 'font-metrics-'));
    });
    after(async () => {
      await rm(workDir, { recursive: true, force: true });
    });

    for (const text of ["Try it free — 30 days, it's 100% {on us}", 'WWWWWWWWWW', 'iiiiiiiiii', 'Ünïcødé ✓']) {
      it(`predicts the width drawtext gives "${text}" within half a pixel a glyph`, async () => {
        const fontSize = 81;
        const textFile = join(workDir, 'line.txt');
        await writeFile(textFile, text);
        const frame = join(workDir, 'frame.gray');
        const { ffmpeg } = await locateFfmpeg();
        // A white box exactly the text's size (border 0) on black: its extent is drawtext's text_w.
        const drawtext = filterOptions({
          fontfile: bundledHeadlineFont(),
          textfile: textFile,
          expansion: 'none',
          fontsize: fontSize,
          box: 1,
          boxcolor: 'white',
          x: 100,
          y: 100,
        });
        await runTool(ffmpeg, [
          '-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=black:s=2400x300:d=0.04',
          '-vf', `drawtext=${drawtext},format=gray`, '-frames:v', '1', '-f', 'rawvideo', frame,
        ]);
        const pixels = await readFile(frame);
        const row = pixels.subarray(150 * 2400, 151 * 2400);
        const lit = [...row.keys()].filter((x) => row[x]! > 128);
        const drawnWidth = lit.at(-1)! - lit[0]! + 1;
        const predicted = font.widthEm(text) * fontSize;
        expect(Math.abs(drawnWidth - predicted)).to.be.at.most(0.5 * [...text].length + 1);
      });
    }
  });
});
