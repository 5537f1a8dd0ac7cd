import { runTool } from './run_tool';

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
}

export const FFMPEG_INSTALL_HINT = 'install ffmpeg: apt-get install -y ffmpeg, or set FFMPEG_PATH/FFPROBE_PATH';

/**
 * Finds ffmpeg and ffprobe: FFMPEG_PATH / FFPROBE_PATH when set, else the names on PATH. Each one is run
 * with -version so a missing or broken binary fails here, at start-up, rather than in the middle of a job.
 */
export async function locateFfmpeg(env: NodeJS.ProcessEnv = process.env): Promise<FfmpegBinaries> {
  const [ffmpeg, ffprobe] = await Promise.all([
    checkRuns(env.FFMPEG_PATH || 'ffmpeg'),
    checkRuns(env.FFPROBE_PATH || 'ffprobe'),
  ]);
  return { ffmpeg, ffprobe };
}

async function checkRuns(bin: string): Promise<string> {
  try {
    await runTool(bin, ['-version']);
    return bin;
  } catch (error) {
    throw new Error(`cannot run ${bin} -version; ${FFMPEG_INSTALL_HINT}`, { cause: error });
  }
}
