import { expect } from 'chai';
import { VIDEO_FORMATS } from '../../../../shared/domain/formats';
import type { HeadlineFont } from '../../../../shared/adapters/ffmpeg/headline_layout';
import {
  buildSceneClipPlan,
  sceneFrameCounts,
  type SceneClipInput,
} from '../../../../shared/adapters/ffmpeg/scene_graph';
import type { SubtitleCue } from '../../../../shared/ports/media';
import type { Manifest, SceneRole } from '../../../../shared/schemas/manifest';

/** Every glyph half an em wide: enough to lay out text without reading a font file. */
const HALF_EM_FONT: HeadlineFont = {
  widthEm: (text) => [...text].length * 0.5,
  capHeightEm: 0.7,
  ascenderEm: 0.95,
  descenderEm: 0.25,
};

const ROLES: SceneRole[] = ['hook', 'key_message', 'proof', 'call_to_action'];

function manifestOf(durations: number[], roles: SceneRole[] = durations.map((_, i) => ROLES[i % 4]!)): Manifest {
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
        role: roles[index]!,
        startSec,
        durationSec,
        onScreenText: `Scene ${index} headline`,
        voiceover: `Voice ${index}`,
        palette: ['#102030', '#A0B0C0'] as [string, string],
      };
      startSec += durationSec;
      return scene;
    }),
  };
}

function inputFor(manifest: Manifest, sceneIndex: number, overrides: Partial<SceneClipInput> = {}): SceneClipInput {
  return {
    manifest,
    sceneIndex,
    format: VIDEO_FORMATS['9:16'],
    subtitles: [],
    beatsSec: [],
    fonts: {
      headline: { file: '/repo/assets/fonts/Inter-Black.otf', metrics: HALF_EM_FONT },
      body: { file: '/repo/assets/fonts/Inter-SemiBold.otf', metrics: HALF_EM_FONT },
    },
    textDir: '/work/text',
    outPath: '/out/clip.mp4.partial',
    ...overrides,
  };
}

function argAfter(args: string[], flag: string): string {
  const at = args.indexOf(flag);
  if (at < 0) throw new Error(`no ${flag} in ${args.join(' ')}`);
  return args[at + 1]!;
}

function graphOf(input: SceneClipInput): string {
  return argAfter(buildSceneClipPlan(input).args, '-filter_complex');
}

/** The enable windows of the subtitle drawtexts, as [start, end] in seconds. */
function subtitleWindows(graph: string): Array<[number, number]> {
  return [...graph.matchAll(/enable=gte\(t\\,([\d.]+)\)\*lt\(t\\,([\d.]+)\)/g)].map(([, a, b]) => [Number(a), Number(b)]);
}

describe('buildSceneClipPlan', () => {
  describe('encoding', () => {
    const manifest = manifestOf([2, 1.5, 2.5]);
    const { args } = buildSceneClipPlan(inputFor(manifest, 1));

    it('encodes H.264 High, yuv420p, veryfast at a visually lossless CRF, 30 fps', () => {
      expect(argAfter(args, '-c:v')).to.equal('libx264');
      expect(argAfter(args, '-profile:v')).to.equal('high');
      expect(argAfter(args, '-pix_fmt')).to.equal('yuv420p');
      expect(argAfter(args, '-preset')).to.equal('veryfast');
      expect(Number(argAfter(args, '-crf'))).to.be.within(20, 23);
      expect(argAfter(args, '-r')).to.equal('30');
    });

    it('keeps a fixed, closed 2 s GOP, so clips of a format join without re-encoding', () => {
      expect(argAfter(args, '-g')).to.equal('60');
      expect(argAfter(args, '-keyint_min')).to.equal('60');
      expect(argAfter(args, '-sc_threshold')).to.equal('0');
    });

    it('tags the BT.601 matrix the RGB colours were converted with', () => {
      expect(argAfter(args, '-colorspace')).to.equal('smpte170m');
    });

    it("writes exactly the scene's frames, video only, as MP4 to the given path", () => {
      expect(argAfter(args, '-frames:v')).to.equal('45');
      expect(args).to.include('-an');
      expect(args).not.to.include('-i');
      expect(argAfter(args, '-map')).to.equal('[v]');
      expect(argAfter(args, '-f')).to.equal('mp4');
      expect(args.at(-1)).to.equal('/out/clip.mp4.partial');
    });
  });

  describe('background', () => {
    /** Each look's gradient: its colours, glow position and frame count. */
    function looks(graph: string) {
      return [...graph.matchAll(/gradients=s=(\d+)x\d+:r=30:c0=0x([0-9A-F]+):c1=0x([0-9A-F]+):x0=(\d+):.*?trim=end_frame=(\d+)/g)].map(
        ([, width, glow, edge, x0, frames]) => ({ glow, edge, leftGlow: Number(x0) < Number(width) / 2, frames: Number(frames) }),
      );
    }

    it('is a small radial gradient, glowing in the palette’s bottom colour, scaled to the frame', () => {
      const graph = graphOf(inputFor(manifestOf([3]), 0, { beatsSec: [1.5] }));
      expect(graph).to.match(/^gradients=s=135x240:r=30:/);
      expect(graph).to.include('type=radial');
      expect(graph).to.include('scale=1080:1920:flags=bilinear,format=yuv420p');
      // #102030 is too close to the dark tint to open a scene on: the lighter look (both colours half-way
      // to white) comes first, then the palette as it is.
      expect(looks(graph).map(({ glow, edge }) => [glow, edge])).to.deep.equal([
        ['D0D8E0', '889098'],
        ['A0B0C0', '102030'],
      ]);
    });

    it('opens on the palette itself when it stands out from the tint, then on its darker look if light', () => {
      const manifest = manifestOf([2, 2]);
      manifest.scenes[1]!.palette = ['#808890', '#C0C8D0'];
      const shown = looks(graphOf(inputFor(manifest, 1, { beatsSec: [1] })));
      expect(shown.map((look) => look.glow)).to.deep.equal(['C0C8D0', '606468']);
    });

    it('cuts to the next look at each beat, on the frame grid, the glow changing sides', () => {
      const graph = graphOf(inputFor(manifestOf([4]), 0, { beatsSec: [0.95, 1.9, 2.95] }));
      const shown = looks(graph);
      expect(shown.map((look) => look.frames)).to.deep.equal([29, 28, 32, 31]);
      expect(shown.map((look) => look.glow)).to.deep.equal(['D0D8E0', 'A0B0C0', 'D0D8E0', 'A0B0C0']);
      expect(shown.map((look) => look.leftGlow)).to.deep.equal([false, true, false, true]);
      expect(graph).to.include('[s0look0][s0look1][s0look2][s0look3]concat=n=4:v=1:a=0,');
    });

    it('ignores beats off the scene or on the same frame', () => {
      const graph = graphOf(inputFor(manifestOf([2]), 0, { beatsSec: [-1, 0, 1, 1.01, 2, 3] }));
      expect(looks(graph).map((look) => look.frames)).to.deep.equal([30, 30]);
    });

    it('keeps its points inside the frame, where the filter would otherwise pick random ones, and moves', () => {
      for (const format of Object.values(VIDEO_FORMATS)) {
        for (const durations of [[1, 1, 1, 1], [30, 30, 30, 30]]) {
          const manifest = manifestOf(durations);
          for (let i = 0; i < durations.length; i++) {
            const graph = graphOf(inputFor(manifest, i, { format, beatsSec: [durations[i]! / 2] }));
            for (const [, w, h, x0, y0, x1, y1, speed] of graph.matchAll(
              /gradients=s=(\d+)x(\d+):.*?x0=(\d+):y0=(\d+):x1=(\d+):y1=(\d+):.*?speed=([\d.]+)/g,
            )) {
              for (const x of [x0, x1]) expect(Number(x)).to.be.within(0, Number(w) - 1);
              for (const y of [y0, y1]) expect(Number(y)).to.be.within(0, Number(h) - 1);
              expect(Number(speed)).to.be.greaterThan(0);
            }
          }
        }
      }
    });

    it('pulls a palette of one colour apart, so the glow, and the motion, still show', () => {
      const manifest = manifestOf([2]);
      manifest.scenes[0]!.palette = ['#203040', '#203040'];
      const [look] = looks(graphOf(inputFor(manifest, 0)));
      expect(look!.glow).not.to.equal(look!.edge);
    });
  });

  describe('transitions', () => {
    const manifest = manifestOf([2, 2, 2]);

    it('dips into a dark tint of the ad’s first colour before each cut to the next scene, not at the ad’s end', () => {
      // 20 % of #102030, faded into over 6 frames and held for the last 2: the next scene cuts in hard.
      const fades = [0, 1, 2].map((i) => graphOf(inputFor(manifest, i)).match(/fade=t=(in|out):s=\d+:n=\d+:c=0x[0-9A-F]+/g));
      expect(fades).to.deep.equal([['fade=t=out:s=52:n=6:c=0x03060A'], ['fade=t=out:s=52:n=6:c=0x03060A'], null]);
    });

    it('fades the supers out with the picture, except in the last scene', () => {
      expect(graphOf(inputFor(manifest, 0))).to.include('*clip((1.933-t)/0.200\\,0\\,1)');
      expect(graphOf(inputFor(manifest, 2))).not.to.include('-t)/');
    });

    it('keeps most of a very short scene clear of the dip', () => {
      const short = manifestOf([0.5, 0.5, 0.5]);
      expect(graphOf(inputFor(short, 1)).match(/fade=t=(in|out):s=\d+:n=\d+/g)).to.deep.equal(['fade=t=out:s=12:n=1']);
    });
  });

  describe('supers', () => {
    it('draws the headline one line per drawtext, fading in behind a semi-transparent box', () => {
      const graph = graphOf(inputFor(manifestOf([3, 3]), 1));
      expect(graph).to.include('textfile=/work/text/scene1-line0.txt:expansion=none');
      expect(graph).to.include('fontfile=/repo/assets/fonts/Inter-Black.otf');
      expect(graph).to.include('box=1:boxcolor=black@0.45');
      expect(graph).to.include('alpha=clip((t-0.150)/0.450\\,0\\,1)');
    });

    for (const role of ['hook', 'key_message', 'proof'] as const) {
      it(`puts the brand's name bar on a ${role} scene`, () => {
        const plan = buildSceneClipPlan(inputFor(manifestOf([3], [role]), 0));
        const graph = argAfter(plan.args, '-filter_complex');
        expect(plan.textFiles).to.deep.include({ path: '/work/text/scene0-brand.txt', content: 'Acme' });
        expect(graph).to.match(/color=c=black@0\.55:s=\d+x\d+:r=30,format=yuva420p,pad=.*\[s0namebar\]/);
        expect(graph).to.include('[s0base][s0namebar]overlay=');
      });
    }

    it('gives the call to action an end card: a card, large text without boxes, an accent bar, the brand name', () => {
      const plan = buildSceneClipPlan(inputFor(manifestOf([2, 3], ['hook', 'call_to_action']), 1));
      const graph = argAfter(plan.args, '-filter_complex');
      expect(plan.textFiles.map((file) => file.path)).to.deep.equal([
        '/work/text/scene1-line0.txt',
        '/work/text/scene1-brand.txt',
      ]);
      expect(graph).not.to.include('namebar');
      expect(graph).not.to.include('box=1');
      // The card in the ad's tint: 20 % of #102030.
      expect(graph).to.match(/color=c=0x03060A@0\.75:s=864x\d+:r=30,format=yuva420p,fade=t=in.*\[s1card\]/);
      expect(graph).to.include('[s1bg][s1card]overlay=x=108:');
      expect(graph).to.include('[s1base][s1bar]overlay=');
      // The accent: the lighter palette colour #A0B0C0, light enough already.
      expect(graph).to.match(/color=c=0xA0B0C0:s=\d+x\d+:r=30,format=yuva420p,fade=t=in/);
      // Headline size 81 px in 9:16, the call to action 1.2 times that.
      expect(graph).to.include('fontsize=97');
    });

    it('keeps text out of the graph: every drawtext reads its own file, the text used verbatim', () => {
      const manifest = manifestOf([3]);
      manifest.scenes[0]!.onScreenText = "100% {off}: it's [today]";
      manifest.brandName = "Ac'me: %{pts}";
      const plan = buildSceneClipPlan(
        inputFor(manifest, 0, { subtitles: [{ startSec: 0, endSec: 2, text: 'Say 50%; {now}' }] }),
      );
      const graph = argAfter(plan.args, '-filter_complex');
      expect(graph.match(/drawtext=/g)).to.have.length(plan.textFiles.length);
      for (const file of plan.textFiles) expect(graph).to.include(`textfile=${file.path}:expansion=none`);
      expect(plan.textFiles.map((file) => file.content)).to.include.members(["Ac'me: %{pts}", 'Say 50%; {now}']);
      for (const fragment of ['{off}', '%{pts}', '{now}']) expect(graph).not.to.include(fragment);
    });
  });

  describe('subtitles', () => {
    const manifest = manifestOf([2, 3, 2]);
    const sceneAt = (cues: SubtitleCue[]) => graphOf(inputFor(manifest, 1, { subtitles: cues }));

    it("shows each cue only between its times, moved from the ad's timeline to the scene's", () => {
      expect(subtitleWindows(sceneAt([{ startSec: 2.5, endSec: 3.25, text: 'Hello there' }]))).to.deep.equal([
        [0.5, 1.25],
      ]);
    });

    it('clips cues to the scene and leaves out those outside it', () => {
      const graph = sceneAt([
        { startSec: 0.5, endSec: 1.5, text: 'Before' },
        { startSec: 1.5, endSec: 2.5, text: 'Across the cut' },
        { startSec: 4.5, endSec: 6, text: 'Into the next' },
        { startSec: 6, endSec: 7, text: 'After' },
      ]);
      expect(subtitleWindows(graph)).to.deep.equal([
        [0, 0.5],
        [2.5, 3],
      ]);
    });

    it('sets them in the body font, on a semi-transparent box', () => {
      const graph = sceneAt([{ startSec: 2.5, endSec: 3.25, text: 'Hello there' }]);
      expect(graph).to.match(/fontfile=\/repo\/assets\/fonts\/Inter-SemiBold\.otf[^,]*box=1:boxcolor=black@0\.6/);
    });

    it('splits a cue of more than two lines into pages shown one after another', () => {
      const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
      const plan = buildSceneClipPlan(inputFor(manifest, 1, { subtitles: [{ startSec: 2, endSec: 5, text: long }] }));
      const graph = argAfter(plan.args, '-filter_complex');
      const windows = subtitleWindows(graph);
      const pages = [...new Set(windows.map((w) => w.join('-')))].map((w) => w.split('-').map(Number));
      expect(pages.length).to.be.greaterThan(1);
      expect(pages[0]![0]).to.equal(0);
      expect(pages.at(-1)![1]).to.equal(3);
      for (let i = 1; i < pages.length; i++) expect(pages[i]![0]).to.be.closeTo(pages[i - 1]![1]!, 0.001);
      // No page has more than two lines.
      for (const page of pages) expect(windows.filter((w) => w[0] === page[0]).length).to.be.at.most(2);
      const lines = plan.textFiles.filter((file) => file.path.includes('-sub'));
      expect(lines.map((file) => file.content).join(' ')).to.equal(long);
    });
  });

  describe('refuses', () => {
    it('a scene the manifest does not have', () => {
      expect(() => buildSceneClipPlan(inputFor(manifestOf([3]), 1))).to.throw(/no scene 1 in a 1-scene manifest/);
    });

    it('a palette colour that is not #RRGGBB', () => {
      const manifest = manifestOf([6]);
      manifest.scenes[0]!.palette = ['navy', '#FFFFFF'];
      expect(() => buildSceneClipPlan(inputFor(manifest, 0))).to.throw(/"navy" is not a #RRGGBB/);
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

  it('gives each clip round(durationSec × 30) frames when the scenes lie on the frame grid', () => {
    const durations = [3.2, 4.1, 5.5, 6.3, 5.9, 5];
    expect(sceneFrameCounts(manifestOf(durations), 30)).to.deep.equal(durations.map((d) => Math.round(d * 30)));
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
