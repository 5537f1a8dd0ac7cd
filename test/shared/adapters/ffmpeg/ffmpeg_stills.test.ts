import { expect } from 'chai';
import { access, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledBodyFont } from '../../../../shared/adapters/ffmpeg/bundled_font';
import { locateFfmpeg, type FfmpegBinaries } from '../../../../shared/adapters/ffmpeg/ffmpeg_binaries';
import {
  FfmpegStills,
  SHEET_CELL_WIDTH,
  SHEET_GAP,
  SHEET_LABEL_HEIGHT,
  buildContactSheetPlan,
  labelLines,
  sheetGrid,
} from '../../../../shared/adapters/ffmpeg/ffmpeg_stills';
import { FontMetrics } from '../../../../shared/adapters/ffmpeg/font_metrics';
import type { HeadlineFont } from '../../../../shared/adapters/ffmpeg/headline_layout';
import { runTool } from '../../../../shared/adapters/ffmpeg/run_tool';

/** Every glyph half an em wide: enough to lay out text without reading a font file. */
const HALF_EM_FONT: HeadlineFont = {
  widthEm: (text) => [...text].length * 0.5,
  capHeightEm: 0.7,
  ascenderEm: 0.95,
  descenderEm: 0.25,
};

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
async function pngSize(path: string): Promise<{ width: number; height: number }> {
  const png = await readFile(path);
  expect(png.subarray(0, 8).toString('hex')).to.equal('89504e470d0a1a0a');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** A sheet of `count` frames of a `width` × `height` video, as the tile filter lays it out. */
function sheetSize(count: number, width: number, height: number): { width: number; height: number } {
  const { columns, rows } = sheetGrid(count);
  // scale=360:-2 rounds the frame's height to an even number.
  const frameHeight = 2 * Math.round((SHEET_CELL_WIDTH * height) / width / 2);
  return {
    width: 2 * SHEET_GAP + columns * SHEET_CELL_WIDTH + (columns - 1) * SHEET_GAP,
    height: 2 * SHEET_GAP + rows * (frameHeight + SHEET_LABEL_HEIGHT) + (rows - 1) * SHEET_GAP,
  };
}

describe('sheetGrid', () => {
  it('fills rows of up to four, evened out', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => sheetGrid(n))).to.deep.equal([
      { columns: 1, rows: 1 },
      { columns: 2, rows: 1 },
      { columns: 3, rows: 1 },
      { columns: 4, rows: 1 },
      { columns: 3, rows: 2 },
      { columns: 3, rows: 2 },
      { columns: 4, rows: 2 },
      { columns: 4, rows: 2 },
      { columns: 3, rows: 3 },
    ]);
  });
});

describe('labelLines', () => {
  it('keeps a short label on one line', () => {
    expect(labelLines('1 · hook · 0.0–3.2 s', HALF_EM_FONT)).to.deep.equal(['1 · hook · 0.0–3.2 s']);
  });

  it('wraps a long one to three lines at most, ending the last in an ellipsis within the cell', () => {
    const label = `2 · key_message · 3.2–9.0 s · ${'Fresh roasted beans at your door every week '.repeat(4)}`;
    const lines = labelLines(label, HALF_EM_FONT);
    expect(lines).to.have.length(3);
    expect(lines[2]!.endsWith('…')).to.equal(true);
    // 18 px text, 9 px a glyph, in a 340 px wide label.
    for (const line of lines) expect([...line].length * 9 + 0.5 * [...line].length).to.be.at.most(340);
  });
});

describe('buildContactSheetPlan', () => {
  const frames = [
    { atSec: 1.5, label: "1 · hook · it's 100% {on us}: [today]" },
    { atSec: 4.25, label: '2 · proof' },
  ];
  const plan = buildContactSheetPlan({
    videoPath: '/work/ad.mp4',
    frames,
    fontFile: '/repo/assets/fonts/Inter-SemiBold.otf',
    font: HALF_EM_FONT,
    textDir: '/work/labels',
    outPath: '/out/sheet.png.partial',
  });
  const graph = plan.args[plan.args.indexOf('-filter_complex') + 1]!;

  it('reads each frame by its own seek into the video, in one run', () => {
    expect(plan.args.join(' ')).to.include('-ss 1.500 -t 1 -i /work/ad.mp4 -ss 4.250 -t 1 -i /work/ad.mp4');
  });

  it('tiles the labelled frames in order, into one PNG', () => {
    expect(graph).to.include('[cell0][cell1]concat=n=2:v=1:a=0,tile=layout=2x1:padding=8:margin=8:');
    expect(plan.args.slice(-7)).to.deep.equal(['-update', '1', '-c:v', 'png', '-f', 'image2', '/out/sheet.png.partial']);
  });

  it('draws labels from text files, never from the graph', () => {
    expect(plan.textFiles.map((file) => file.content).join(' ')).to.equal(`${frames[0]!.label} ${frames[1]!.label}`);
    for (const file of plan.textFiles) expect(graph).to.include(`textfile=${file.path}:expansion=none`);
    expect(graph).not.to.include('{on us}');
  });
});

describe('FfmpegStills', function () {
  this.timeout(60_000);
  let tools: FfmpegBinaries;
  let workDir: string;
  const videos: Record<string, string> = {};

  before(async () => {
    tools = await locateFfmpeg();
    workDir = await mkdtemp(join(tmpdir(), 'ffmpeg-stills-'));
    for (const [name, size] of [
      ['portrait', '1080x1920'],
      ['landscape', '1920x1080'],
    ] as const) {
      videos[name] = join(workDir, `${name}.mp4`);
      await runTool(tools.ffmpeg, [
        '-v', 'error', '-f', 'lavfi', '-i', `testsrc2=s=${size}:r=30:d=6`,
        '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', videos[name],
      ]);
    }
  });
  after(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('writes a poster frame at full size', async () => {
    const outPath = join(workDir, 'posters', 'portrait.png');
    await new FfmpegStills(tools.ffmpeg).poster(videos.portrait!, 2.5, outPath);
    expect(await pngSize(outPath)).to.deep.equal({ width: 1080, height: 1920 });
    expect(await readdir(join(workDir, 'posters'))).to.deep.equal(['portrait.png']);
  });

  for (const [name, count, width, height] of [
    ['portrait', 3, 1080, 1920],
    ['landscape', 5, 1920, 1080],
  ] as const) {
    it(`writes a contact sheet of ${count} labelled ${name} frames`, async () => {
      const outPath = join(workDir, 'sheets', `${name}.png`);
      const frames = Array.from({ length: count }, (_, i) => ({
        atSec: 0.5 + i,
        label: `${i + 1} · hook · ${i}.0–${i + 1}.0 s · It's 100% {on us}: the label of frame ${i + 1}, long enough to wrap`,
      }));
      await new FfmpegStills(tools.ffmpeg).contactSheet(videos[name]!, frames, outPath);
      expect(await pngSize(outPath)).to.deep.equal(sheetSize(count, width, height));
      // Only the sheet is left: no partial file, no label files.
      expect(await readdir(join(workDir, 'sheets'))).to.deep.equal([`${name}.png`]);
      await rm(outPath);
    });
  }

  it('labels each frame in the strip under it', async () => {
    const outPath = join(workDir, 'label.png');
    await new FfmpegStills(tools.ffmpeg).contactSheet(videos.landscape!, [{ atSec: 1, label: 'MMMM MMMM' }], outPath);
    const { width, height } = await pngSize(outPath);
    // The label strip, where only the label is light: the background is near black.
    const { stdout } = await runTool(tools.ffmpeg, [
      '-v', 'error', '-i', outPath,
      '-vf', `crop=${width - 2 * SHEET_GAP}:${SHEET_LABEL_HEIGHT}:${SHEET_GAP}:${height - SHEET_GAP - SHEET_LABEL_HEIGHT},signalstats,metadata=mode=print:key=lavfi.signalstats.YMAX:file=-`,
      '-f', 'null', '-',
    ]);
    expect(Number(/YMAX=(\d+)/.exec(stdout)![1])).to.be.above(200);
  });

  it('refuses a time past the end of the video, leaving no file', async () => {
    const outPath = join(workDir, 'late', 'poster.png');
    const outcome = await new FfmpegStills(tools.ffmpeg).poster(videos.portrait!, 60, outPath).then(
      () => null,
      (error: Error) => error,
    );
    expect(outcome?.message).to.match(/no frame to take/);
    expect(await access(outPath).then(() => true, () => false)).to.equal(false);
    expect(await readdir(join(workDir, 'late'))).to.deep.equal([]);
  });

  it('refuses a contact sheet without frames', async () => {
    const outcome = await new FfmpegStills(tools.ffmpeg)
      .contactSheet(videos.portrait!, [], join(workDir, 'empty.png'))
      .then(
        () => null,
        (error: Error) => error,
      );
    expect(outcome?.message).to.match(/at least one frame/);
  });

  it('measures labels with the bundled body font', async () => {
    const font = await FontMetrics.load(bundledBodyFont());
    expect(labelLines('1 · hook · 0.0–3.2 s · Stop scrolling', font)).to.deep.equal(['1 · hook · 0.0–3.2 s · Stop scrolling']);
  });
});
