import { expect } from 'chai';
import { access, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VIDEO_FORMATS, type VideoFormat } from '../../../../shared/domain/formats';
import { bundledBodyFont } from '../../../../shared/adapters/ffmpeg/bundled_font';
import { locateFfmpeg, type FfmpegBinaries } from '../../../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { FontMetrics } from '../../../../shared/adapters/ffmpeg/font_metrics';
import { SAFE_MARGIN, layoutSubtitle } from '../../../../shared/adapters/ffmpeg/headline_layout';
import { ANALYSIS_SETTINGS } from '../../../../shared/adapters/ffmpeg/ffmpeg_media_analyzer';
import { runTool } from '../../../../shared/adapters/ffmpeg/run_tool';
import { FfmpegSceneRenderer } from '../../../../shared/adapters/ffmpeg/scene_renderer';
import { plannedCuts, sceneBeats } from '../../../../shared/domain/planning/beats';
import type { SubtitleCue } from '../../../../shared/ports/media';
import type { Manifest, Scene } from '../../../../shared/schemas/manifest';

/**
 * One scene of each role, short so that twelve full-size clips render quickly. Mid-dark palettes, so that
 * the white text (and the light accent) are the only bright pixels in a frame, yet bright enough against
 * the tint that each scene opens on its palette as it is (see sceneLooks).
 */
const MANIFEST: Manifest = {
  version: 1,
  title: 'Morning coffee',
  brandName: 'Acme Coffee',
  durationSec: 5,
  aspectRatios: ['9:16', '16:9', '1:1'],
  planner: 'test',
  scenes: [
    scene(0, 'hook', 0, 1.2, 'Stop scrolling: your mornings just got better', ['#4A4A58', '#707890']),
    scene(1, 'key_message', 1.2, 1, "Fresh roasted beans at your door every week — it's 100% {on us}", ['#4A5A4A', '#6A8A70']),
    scene(2, 'proof', 2.2, 1.3, 'Rated 4.9 by 20,000 coffee lovers', ['#5A4A4A', '#8A6A6A']),
    scene(3, 'call_to_action', 3.5, 1.5, 'Try it free today', ['#4A4A5A', '#7A6A90']),
  ],
};
const FRAMES = [36, 30, 39, 45];

/** A cue in each scene, from a quarter second in to 80 % of the scene, on the ad's timeline. */
const SUBTITLES: SubtitleCue[] = MANIFEST.scenes.map((s) => ({
  startSec: s.startSec + 0.25,
  endSec: s.startSec + 0.8 * s.durationSec,
  text: `Spoken line of scene ${s.index + 1}, long enough to wrap onto a second line in every format`,
}));

function scene(
  index: number,
  role: Scene['role'],
  startSec: number,
  durationSec: number,
  onScreenText: string,
  palette: [string, string],
): Scene {
  return { index, role, startSec, durationSec, onScreenText, voiceover: 'Words.', palette };
}

interface ClipFacts {
  frames: number;
  codec: string;
  profile: string;
  pixFmt: string;
  width: number;
  height: number;
  frameRate: string;
  audioStreams: number;
}

async function probeClip(ffprobe: string, path: string): Promise<ClipFacts> {
  const { stdout } = await runTool(ffprobe, [
    '-v', 'error', '-count_frames', '-print_format', 'json', '-show_streams', path,
  ]);
  const streams = (JSON.parse(stdout) as { streams: Array<Record<string, string | number>> }).streams;
  const video = streams.find((s) => s.codec_type === 'video')!;
  return {
    frames: Number(video.nb_read_frames),
    codec: String(video.codec_name),
    profile: String(video.profile),
    pixFmt: String(video.pix_fmt),
    width: Number(video.width),
    height: Number(video.height),
    frameRate: String(video.r_frame_rate),
    audioStreams: streams.filter((s) => s.codec_type === 'audio').length,
  };
}

/** The frame at `atSec` as 8-bit luma, one byte a pixel. */
async function lumaFrame(ffmpeg: string, clip: string, atSec: number, scratch: string): Promise<Buffer> {
  const path = join(scratch, `frame-${Math.random().toString(36).slice(2)}.gray`);
  await runTool(ffmpeg, [
    '-v', 'error', '-y', '-ss', atSec.toFixed(3), '-i', clip, '-frames:v', '1', '-pix_fmt', 'gray', '-f', 'rawvideo', path,
  ]);
  return readFile(path);
}

interface Bounds {
  count: number;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Where the pixels brighter than `threshold` are, within rows [fromRow, toRow). */
function brightPixels(luma: Buffer, width: number, threshold: number, fromRow = 0, toRow = luma.length / width): Bounds {
  const bounds = { count: 0, left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity };
  for (let y = fromRow; y < toRow; y++) {
    for (let x = 0; x < width; x++) {
      if (luma[y * width + x]! <= threshold) continue;
      bounds.count++;
      bounds.left = Math.min(bounds.left, x);
      bounds.right = Math.max(bounds.right, x);
      bounds.top = Math.min(bounds.top, y);
      bounds.bottom = Math.max(bounds.bottom, y);
    }
  }
  return bounds;
}

/** White text (235) is far above this; these backgrounds (at most 123) and their coding noise far below. */
const TEXT_LUMA = 180;

describe('FfmpegSceneRenderer', function () {
  this.timeout(180_000);
  let tools: FfmpegBinaries;
  let workDir: string;
  const clips = new Map<string, string[]>();

  before(async () => {
    tools = await locateFfmpeg();
    workDir = await mkdtemp(join(tmpdir(), 'scene-renderer-'));
    const renderer = new FfmpegSceneRenderer(tools.ffmpeg);
    // Without beats: every frame of a scene in its palette, whose brightness the text checks rely on.
    for (const format of Object.values(VIDEO_FORMATS)) {
      const paths = MANIFEST.scenes.map((s) => join(workDir, 'clips', `${s.index}@${format.width}x${format.height}.mp4`));
      // All four scenes of a format at once, as the pipeline's fan-out may run them.
      await Promise.all(
        MANIFEST.scenes.map((s, i) =>
          renderer.renderScene({
            manifest: MANIFEST,
            sceneIndex: s.index,
            aspectRatio: format.aspectRatio,
            subtitles: SUBTITLES,
            beatsSec: [],
            outPath: paths[i]!,
            workDir: join(workDir, 'work'),
          }),
        ),
      );
      clips.set(format.aspectRatio, paths);
    }
  });
  after(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('leaves only the finished clips: no partial files, no text files', async () => {
    expect(await readdir(join(workDir, 'work'))).to.deep.equal([]);
    expect((await readdir(join(workDir, 'clips'))).filter((name) => !name.endsWith('.mp4'))).to.deep.equal([]);
  });

  for (const format of Object.values(VIDEO_FORMATS)) {
    const size = `${format.width}x${format.height}`;

    describe(`in ${format.aspectRatio}`, () => {
      it(`renders each role as a ${size} H.264 High yuv420p 30 fps clip of exactly its frames, without audio`, async () => {
        for (const [i, clip] of clips.get(format.aspectRatio)!.entries()) {
          expect(await probeClip(tools.ffprobe, clip), MANIFEST.scenes[i]!.role).to.deep.equal({
            frames: FRAMES[i],
            codec: 'h264',
            profile: 'High',
            pixFmt: 'yuv420p',
            width: format.width,
            height: format.height,
            frameRate: '30/1',
            audioStreams: 0,
          });
        }
      });

      it('joins three clips with the concat demuxer, without re-encoding, to the sum of their lengths', async () => {
        const list = join(workDir, `concat-${size}.txt`);
        const joined = join(workDir, `joined-${size}.mp4`);
        const parts = clips.get(format.aspectRatio)!.slice(0, 3);
        await writeFile(list, parts.map((clip) => `file '${clip}'\n`).join(''));
        await runTool(tools.ffmpeg, ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', joined]);
        const facts = await probeClip(tools.ffprobe, joined);
        expect(facts.frames).to.equal(FRAMES[0]! + FRAMES[1]! + FRAMES[2]!);
        const { stdout } = await runTool(tools.ffprobe, [
          '-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', joined,
        ]);
        expect(Number(stdout)).to.be.closeTo((FRAMES[0]! + FRAMES[1]! + FRAMES[2]!) / 30, 1 / 30);
      });

      it('keeps every text pixel of a mid-scene frame inside the title-safe area', async () => {
        for (const [i, clip] of clips.get(format.aspectRatio)!.entries()) {
          const luma = await lumaFrame(tools.ffmpeg, clip, (0.6 * FRAMES[i]!) / 30, workDir);
          const text = brightPixels(luma, format.width, TEXT_LUMA);
          const role = MANIFEST.scenes[i]!.role;
          expect(text.count, `${role}: text drawn`).to.be.above(5000);
          expect(text.left, `${role} left`).to.be.at.least(format.width * SAFE_MARGIN);
          expect(text.right, `${role} right`).to.be.below(format.width * (1 - SAFE_MARGIN));
          expect(text.top, `${role} top`).to.be.at.least(format.height * SAFE_MARGIN);
          expect(text.bottom, `${role} bottom`).to.be.below(format.height * (1 - SAFE_MARGIN));
        }
      });
    });
  }

  it('burns a subtitle in only between its times', async () => {
    const format = VIDEO_FORMATS['9:16'];
    const [clip] = clips.get('9:16')!;
    const band = await subtitleRows(format);
    const cue = SUBTITLES[0]!;
    const shownAt = async (atSec: number) =>
      brightPixels(await lumaFrame(tools.ffmpeg, clip!, atSec, workDir), format.width, TEXT_LUMA, band.top, band.bottom)
        .count;
    // The hook starts the ad: its timeline is the ad's. The cue runs from 0.25 s to 0.96 s.
    expect(await shownAt(cue.startSec - 0.1), 'before').to.equal(0);
    expect(await shownAt((cue.startSec + cue.endSec) / 2), 'during').to.be.above(1000);
    expect(await shownAt(cue.endSec + 0.1), 'after').to.equal(0);
  });

  it("places a later scene's subtitles on its own timeline", async () => {
    const format = VIDEO_FORMATS['9:16'];
    const clip = clips.get('9:16')![2]!;
    const band = await subtitleRows(format);
    // The proof scene starts at 2.2 s; its cue runs from 2.45 s to 3.24 s on the ad's timeline.
    const shownAt = async (atSec: number) =>
      brightPixels(await lumaFrame(tools.ffmpeg, clip, atSec, workDir), format.width, TEXT_LUMA, band.top, band.bottom)
        .count;
    expect(await shownAt(0.15), 'before').to.equal(0);
    expect(await shownAt(0.6), 'during').to.be.above(1000);
    expect(await shownAt(1.15), 'after').to.equal(0);
  });

  it("cuts at every scene start and beat, and nowhere else, as the QA's shot detection sees it", async () => {
    const renderer = new FfmpegSceneRenderer(tools.ffmpeg);
    const parts = MANIFEST.scenes.map((s) => join(workDir, 'beats', `${s.index}.mp4`));
    await Promise.all(
      MANIFEST.scenes.map((s, i) =>
        renderer.renderScene({
          manifest: MANIFEST,
          sceneIndex: s.index,
          aspectRatio: '9:16',
          subtitles: SUBTITLES,
          beatsSec: sceneBeats(MANIFEST, s.index),
          outPath: parts[i]!,
          workDir: join(workDir, 'work'),
        }),
      ),
    );
    const list = join(workDir, 'beats', 'concat.txt');
    const joined = join(workDir, 'beats', 'joined.mp4');
    await writeFile(list, parts.map((clip) => `file '${clip}'\n`).join(''));
    await runTool(tools.ffmpeg, ['-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', joined]);
    const { stderr } = await runTool(tools.ffmpeg, [
      '-hide_banner', '-nostats', '-i', joined,
      '-vf', `select='gt(scene,${ANALYSIS_SETTINGS.sceneThreshold})',metadata=mode=print`, '-f', 'null', '-',
    ]);
    const detected = [...stderr.matchAll(/pts_time:([\d.]+)/g)].map(([, t]) => Number(t));
    const planned = plannedCuts(MANIFEST);
    expect(planned).to.have.length(7);
    expect(detected).to.have.length(planned.length);
    // Beats are rounded to the frame grid: within half a frame of the plan, and a little.
    detected.forEach((t, i) => expect(t, `cut ${i}`).to.be.closeTo(planned[i]!, 0.5 / 30 + 0.001));
  });

  for (const [what, palette] of [
    ['its palette', ['#2D0B45', '#F2C14E']],
    ['a palette of one colour', ['#203040', '#203040']],
  ] as const) {
    it(`keeps a 2 s end card in ${what} moving: freezedetect finds no freeze`, async () => {
      const manifest: Manifest = {
        ...MANIFEST,
        durationSec: 2,
        scenes: [scene(0, 'call_to_action', 0, 2, 'Try it free today', [...palette])],
      };
      const clip = join(workDir, `still-${palette[1]}.mp4`);
      await new FfmpegSceneRenderer(tools.ffmpeg).renderScene({
        manifest,
        sceneIndex: 0,
        aspectRatio: '9:16',
        subtitles: [],
        // No beat: the motion alone must keep the picture from freezing.
        beatsSec: [],
        outPath: clip,
        workDir: join(workDir, 'work'),
      });
      // A quarter of the 2 s the QA check allows.
      const { stderr } = await runTool(tools.ffmpeg, [
        '-hide_banner', '-nostats', '-i', clip, '-vf', 'freezedetect=n=-60dB:d=0.5', '-f', 'null', '-',
      ]);
      expect(stderr).not.to.include('freeze_start');
    });
  }

  for (const [what, ffmpeg, fontFile, message] of [
    // `false` stands in for an ffmpeg run that fails.
    ['ffmpeg fails', 'false', undefined, /^false failed with exit code 1/],
    ['the font is missing', undefined, 'no-such-font.otf', /no-such-font\.otf/],
  ] as const) {
    it(`leaves no file behind when ${what}`, async () => {
      const outPath = join(workDir, 'failed', 'clip.mp4');
      const renderer = new FfmpegSceneRenderer(ffmpeg ?? tools.ffmpeg, fontFile && join(workDir, fontFile));
      const outcome = await renderer
        .renderScene({ manifest: MANIFEST, sceneIndex: 0, aspectRatio: '1:1', subtitles: [], beatsSec: [], outPath, workDir: join(workDir, 'failed') })
        .then(
          () => null,
          (error: Error) => error,
        );
      expect(outcome?.message).to.match(message);
      const exists = await access(outPath).then(
        () => true,
        () => false,
      );
      expect(exists).to.equal(false);
      expect(await readdir(join(workDir, 'failed'))).to.deep.equal([]);
    });
  }
});

/** The rows a two-line subtitle occupies: from the top line's ascender to the bottom of the safe area. */
async function subtitleRows(format: VideoFormat): Promise<{ top: number; bottom: number }> {
  const font = await FontMetrics.load(bundledBodyFont());
  const layout = layoutSubtitle('two lines of words to set here and there and back', format.width, format.height, font);
  const first = layout.pages[0]![0]!;
  return {
    top: Math.floor(first.baselineY - font.ascenderEm * layout.fontSize - layout.boxBorder),
    bottom: Math.ceil(format.height * (1 - SAFE_MARGIN)),
  };
}
