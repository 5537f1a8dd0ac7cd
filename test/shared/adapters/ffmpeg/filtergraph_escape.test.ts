import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledHeadlineFont } from '../../../../shared/adapters/ffmpeg/bundled_font';
import { locateFfmpeg } from '../../../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { escapeFilterValue, filterOptions } from '../../../../shared/adapters/ffmpeg/filtergraph_escape';
import { runTool } from '../../../../shared/adapters/ffmpeg/run_tool';

describe('escapeFilterValue', function () {
  this.timeout(30_000);

  it('leaves plain values alone', () => {
    expect(escapeFilterValue('/tmp/work/scene0-line0.txt')).to.equal('/tmp/work/scene0-line0.txt');
    expect(escapeFilterValue('(w-text_w)/2')).to.equal('(w-text_w)/2');
  });

  it('escapes option separators once for each level ffmpeg unescapes', () => {
    // ':' is special to the option parser only: escaped there, and that backslash escaped for the graph.
    expect(escapeFilterValue('a:b')).to.equal('a\\\\:b');
    // ',' is special to the graph parser only.
    expect(escapeFilterValue('clip(t,0,1)')).to.equal('clip(t\\,0\\,1)');
    expect(escapeFilterValue("it's")).to.equal("it\\\\\\'s");
    expect(escapeFilterValue('[a];b\\')).to.equal('\\[a\\]\\;b\\\\\\\\');
  });

  it('joins options as key=value pairs', () => {
    expect(filterOptions({ fontsize: 81, x: '(w-text_w)/2', alpha: 'clip(t,0,1)' })).to.equal(
      'fontsize=81:x=(w-text_w)/2:alpha=clip(t\\,0\\,1)',
    );
  });

  it('gets a path full of special characters through ffmpeg intact', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'filter-escape-'));
    try {
      const awkwardDir = join(workDir, "it's [a]: b, c; d\\e");
      await mkdir(awkwardDir);
      const textFile = join(awkwardDir, 'line.txt');
      await writeFile(textFile, "100% {off}: 'now', \\n [today]");
      const { ffmpeg } = await locateFfmpeg();
      const drawtext = filterOptions({
        fontfile: bundledHeadlineFont(),
        textfile: textFile,
        expansion: 'none',
        alpha: 'clip(t/0.5,0,1)',
      });
      // Fails ("No such file", "No option name") if any level of escaping is wrong.
      await runTool(ffmpeg, [
        '-v', 'error', '-f', 'lavfi', '-i', 'color=black:s=320x240:d=0.1',
        '-filter_complex', `[0:v]drawtext=${drawtext}[v]`, '-map', '[v]', '-f', 'null', '-',
      ]);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });
});
