import { expect } from 'chai';
import { VIDEO_FORMATS } from '../../../../shared/domain/formats';
import type { HeadlineFont } from '../../../../shared/adapters/ffmpeg/headline_layout';
import {
  buildRenderPlan,
  sceneFrameCounts,
  type RenderGraphInput,
} from '../../../../shared/adapters/ffmpeg/render_graph';
import type { Manifest } from '../../../../shared/schemas/manifest';

/** Every glyph half an em wide: enough to lay out text without reading a font file. */
const HALF_EM_FONT: HeadlineFont = {
  widthEm: (text) => [...text].length * 0.5,
  capHeightEm: 0.7,
  ascenderEm: 0.95,
  descenderEm: 0.25,
};

function manifestOf(durations: number[], texts = durations.map((_, i) => `Scene ${i} headline`)): Manifest {
  let startSec = 0;
  return {
    version: 1,
    title: 'Test ad',
    brandName: 'Acme',
    durationSec: durations.reduce((sum, d) => sum + d, 0),
    aspectRatios: ['9:16'],
    planner: 'test',
    scenes: durations.map((durationSec, index) => {
      const scene = {
        index,
        role: 'key_message' as const,
        startSec,
        durationSec,
        onScreenText: texts[index]!,
        voiceover: `Voice ${index}`,
        palette: ['#102030', '#A0B0C0'] as [string, string],
      };
      startSec += durationSec;
      return scene;
    }),
  };
}

function inputFor(manifest: Manifest, overrides: Partial<RenderGraphInput> = {}): RenderGraphInput {
  return {
    manifest,
    format: VIDEO_FORMATS['9:16'],
    voicePaths: manifest.scenes.map((_, i) => `/work/voice/scene${i}.wav`),
    fontFile: '/repo/assets/fonts/Inter-Black.otf',
    font: HALF_EM_FONT,
    textDir: '/work/text',
    outPath: '/out/ad.mp4.partial',
    ...overrides,
  };
}

/** The value following `flag` in an argument list. */
function argAfter(args: string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
}

describe('buildRenderPlan', () => {
  describe('encoding', () => {
    const { args } = buildRenderPlan(inputFor(manifestOf([2, 2, 2])));

    it('encodes H.264 High, yuv420p, veryfast at a visually lossless CRF, 30 fps', () => {
      expect(argAfter(args, '-c:v')).to.equal('libx264');
      expect(argAfter(args, '-profile:v')).to.equal('high');
      expect(argAfter(args, '-pix_fmt')).to.equal('yuv420p');
      expect(argAfter(args, '-preset')).to.equal('veryfast');
      expect(Number(argAfter(args, '-crf'))).to.be.within(20, 23);
      expect(argAfter(args, '-r')).to.equal('30');
    });

    it('encodes AAC stereo at 48 kHz, 160 kb/s', () => {
      expect(argAfter(args, '-c:a')).to.equal('aac');
      expect(argAfter(args, '-ar')).to.equal('48000');
      expect(argAfter(args, '-ac')).to.equal('2');
      expect(argAfter(args, '-b:a')).to.equal('160k');
    });

    it('writes a fast-start MP4 of the manifest duration to the given path', () => {
      expect(argAfter(args, '-movflags')).to.equal('+faststart');
      expect(argAfter(args, '-t')).to.equal('6');
      expect(argAfter(args, '-f')).to.equal('mp4');
      expect(args.at(-1)).to.equal('/out/ad.mp4.partial');
    });

    it('reads one voice clip per scene, in scene order, and maps the concatenated streams', () => {
      const inputs = args.flatMap((arg, i) => (arg === '-i' ? [args[i + 1]] : []));
      expect(inputs).to.deep.equal(['/work/voice/scene0.wav', '/work/voice/scene1.wav', '/work/voice/scene2.wav']);
      expect(args.join(' ')).to.include('-map [v] -map [a]');
    });
  });

  describe('filter graph', () => {
    const manifest = manifestOf([1.5, 3, 1.5]);
    const plan = buildRenderPlan(inputFor(manifest));
    const graph = argAfter(plan.args, '-filter_complex')!;
    const chains = graph.split(';');

    it('is one graph: a video and an audio chain per scene, then one concat', () => {
      expect(chains).to.have.length(7);
      expect(chains.at(-1)).to.equal('[v0][a0][v1][a1][v2][a2]concat=n=3:v=1:a=1[v][a]');
    });

    it('cuts each scene to its frame count, and its audio to the same length', () => {
      expect(graph.match(/trim=end_frame=\d+/g)).to.deep.equal([
        'trim=end_frame=45',
        'trim=end_frame=90',
        'trim=end_frame=45',
      ]);
      // 1.5 s and 3 s at 48 kHz.
      expect(graph.match(/atrim=end_sample=\d+/g)).to.deep.equal([
        'atrim=end_sample=72000',
        'atrim=end_sample=144000',
        'atrim=end_sample=72000',
      ]);
    });

    it('pads each voice clip with silence and converts it to 48 kHz planar-float stereo for AAC', () => {
      for (let i = 0; i < 3; i++) {
        const audio = chains.find((chain) => chain.startsWith(`[${i}:a]`))!;
        expect(audio).to.include(
          'aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,apad,',
        );
        expect(audio).to.match(/\[a\d\]$/);
      }
    });

    it('draws each scene gradient small, in the scene palette, and scales it to the frame', () => {
      const video = chains[0]!;
      expect(video).to.match(/^gradients=s=135x240:r=30:c0=0x102030:c1=0xA0B0C0:/);
      expect(video).to.include('scale=1080:1920');
      expect(video).to.include('format=yuv420p');
    });

    it('keeps the gradient line inside its frame, where the filter would otherwise pick random points', () => {
      for (const format of Object.values(VIDEO_FORMATS)) {
        for (const durations of [[1, 1], [30]]) {
          const { args } = buildRenderPlan(inputFor(manifestOf(durations), { format }));
          const scenesGraph = argAfter(args, '-filter_complex')!;
          for (const [, w, h, x0, y0, x1, y1] of scenesGraph.matchAll(
            /gradients=s=(\d+)x(\d+):.*?x0=(\d+):y0=(\d+):x1=(\d+):y1=(\d+)/g,
          )) {
            for (const x of [x0, x1]) expect(Number(x)).to.be.within(0, Number(w) - 1);
            for (const y of [y0, y1]) expect(Number(y)).to.be.within(0, Number(h) - 1);
            // Top to bottom, give or take the tilt it starts with.
            expect(Number(y1) - Number(y0)).to.be.greaterThan(0.8 * Number(h));
          }
        }
      }
    });

    it('moves the gradient in every scene', () => {
      for (const [, speed] of graph.matchAll(/speed=([\d.]+)/g)) expect(Number(speed)).to.be.greaterThan(0);
    });

    it('draws one line of text per drawtext, from its own text file, with the bundled font', () => {
      expect(graph.match(/drawtext=/g)).to.have.length(plan.textFiles.length);
      for (const file of plan.textFiles) expect(graph).to.include(`textfile=${file.path}:expansion=none`);
      expect(graph).to.include('fontfile=/repo/assets/fonts/Inter-Black.otf');
    });

    it('fades the text in behind a semi-transparent box', () => {
      expect(graph).to.include('box=1:boxcolor=black@0.45');
      // The 3 s scene, at full pace: from 0.15 s over 0.45 s.
      expect(chains[2]).to.include('alpha=clip((t-0.150)/0.450\\,0\\,1)');
    });

    it('shows every line of a long headline by the middle of a short scene', () => {
      const longText = Array.from({ length: 20 }, () => 'word').join(' ');
      const shortScene = buildRenderPlan(inputFor(manifestOf([1], [longText])));
      const shortGraph = argAfter(shortScene.args, '-filter_complex')!;
      const fades = [...shortGraph.matchAll(/alpha=clip\(\(t-([\d.]+)\)\/([\d.]+)/g)];
      expect(fades).to.have.length.greaterThan(3);
      for (const [, start, duration] of fades) expect(Number(start) + Number(duration)).to.be.at.most(0.5);
    });
  });

  describe('text files', () => {
    it('hold the headline verbatim, special characters included, and the graph refers to them escaped', () => {
      const text = "100% {off}: it's [today], no \\n; 50% more";
      const plan = buildRenderPlan(
        inputFor(manifestOf([6], [text]), { format: VIDEO_FORMATS['16:9'], textDir: "/work/it's: here" }),
      );
      expect(plan.textFiles.map((file) => file.content).join(' ')).to.equal(text);
      const graph = argAfter(plan.args, '-filter_complex')!;
      expect(graph).to.include("textfile=/work/it\\\\\\'s\\\\: here/scene0-line0.txt");
      // Nothing of the headline itself reaches the graph.
      expect(graph).not.to.include('{off}');
    });

    it('are named after their scene and line', () => {
      // 21 half-em glyphs at 81 px are wider than the 9:16 safe area: two lines.
      const plan = buildRenderPlan(inputFor(manifestOf([2, 2], ['First', 'Two lines of headline'])));
      expect(plan.textFiles.map((file) => file.path)).to.deep.equal([
        '/work/text/scene0-line0.txt',
        '/work/text/scene1-line0.txt',
        '/work/text/scene1-line1.txt',
      ]);
    });
  });

  describe('refuses', () => {
    it('a voice clip count that does not match the scenes', () => {
      const manifest = manifestOf([3, 3]);
      expect(() => buildRenderPlan(inputFor(manifest, { voicePaths: ['/one.wav'] }))).to.throw(/2 scenes but 1 voice/);
    });

    it('a palette colour that is not #RRGGBB', () => {
      const manifest = manifestOf([6]);
      manifest.scenes[0]!.palette = ['navy', '#FFFFFF'];
      expect(() => buildRenderPlan(inputFor(manifest))).to.throw(/"navy" is not a #RRGGBB/);
    });
  });
});

describe('sceneFrameCounts', () => {
  it('adds up to the manifest duration on the frame grid, without accumulating rounding', () => {
    const manifest = manifestOf([1.7, 2.6, 1.7, 0.35, 3.65]);
    const frames = sceneFrameCounts(manifest, 30);
    expect(frames).to.deep.equal([51, 78, 51, 11, 109]);
    expect(frames.reduce((sum, n) => sum + n, 0)).to.equal(300);
  });

  it('tolerates planner rounding up to 0.05 s, and no more', () => {
    const manifest = manifestOf([2, 2, 2]);
    expect(sceneFrameCounts({ ...manifest, durationSec: 6.04 }, 30)).to.deep.equal([60, 60, 60]);
    expect(() => sceneFrameCounts({ ...manifest, durationSec: 6.5 }, 30)).to.throw(
      /scenes last 6 s but the manifest lasts 6.5 s/,
    );
  });

  it('refuses a scene shorter than a frame', () => {
    const manifest = manifestOf([0.01, 2]);
    expect(() => sceneFrameCounts({ ...manifest, durationSec: 2.01 }, 30)).to.throw(/scene 0 is shorter than a frame/);
  });
});
