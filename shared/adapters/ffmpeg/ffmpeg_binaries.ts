import { runTool } from './run_tool';

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
}

export const FFMPEG_INSTALL_HINT = 'install ffmpeg: apt-get install -y ffmpeg, or set FFMPEG_PATH/FFPROBE_PATH';

/**
 * Filters the renderer, assembler, composer and analyzer use. Debian's and Ubuntu 22.04's (the Cloud Functions
 * base image) ffmpeg have them all; the static builds shipped in npm packages lack some (gradients, drawtext).
 */
export const REQUIRED_FILTERS = [
  'gradients', 'drawtext', 'overlay', 'scale', 'fade', 'concat', 'select', 'metadata', 'tile',
  'aevalsrc', 'adelay', 'apad', 'atrim', 'amix', 'acompressor', 'sidechaincompress', 'alimiter', 'loudnorm', 'ebur128',
  'aresample', 'aformat', 'blackdetect', 'freezedetect', 'silencedetect',
] as const;

/**
 * Finds ffmpeg and ffprobe: FFMPEG_PATH / FFPROBE_PATH when set, else the names on PATH. Each one is run
 * with -version so a missing or broken binary fails here, at start-up, rather than in the middle of a job.
 */
export async function locateFfmpeg(env: NodeJS.ProcessEnv = process.env): Promise<FfmpegBinaries> {
  const [ffmpeg, ffprobe] = await Promise.all([
    checkRuns(env.FFMPEG_PATH || 'ffmpeg'),
    checkRuns(env.FFPROBE_PATH || 'ffprobe'),
  ]);
  await checkFilters(ffmpeg);
  return { ffmpeg, ffprobe };
}

/** Fails at start-up, naming them, when the ffmpeg found lacks filters the pipeline needs. */
async function checkFilters(ffmpeg: string): Promise<void> {
  const { stdout } = await runTool(ffmpeg, ['-hide_banner', '-filters']);
  const available = new Set(stdout.split('\n').map((line) => line.trim().split(/\s+/)[1]));
  const missing = REQUIRED_FILTERS.filter((filter) => !available.has(filter));
  if (missing.length > 0) {
    throw new Error(`${ffmpeg} lacks the filters ${missing.join(', ')} (an ffmpeg 4.4+ built with libfreetype has them); ${FFMPEG_INSTALL_HINT}`);
  }
}

async function checkRuns(bin: string): Promise<string> {
  try {
    await runTool(bin, ['-version']);
    return bin;
  } catch (error) {
    throw new Error(`cannot run ${bin} -version; ${FFMPEG_INSTALL_HINT}`, { cause: error });
  }
}
