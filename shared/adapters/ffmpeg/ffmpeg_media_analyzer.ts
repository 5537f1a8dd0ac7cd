import { resolve } from 'node:path';
import type { MediaAnalysis, MediaAnalyzer } from '../../ports/media';
import { MIX_LOUDNESS_FILTER_ID, SHOTS_FILTER_ID, parseAnalysisLog } from './analysis_log_parser';
import { runTool } from './run_tool';

/** Detector settings of the QA pass; review thresholds (technical_review.ts) must not be finer than these. */
export const ANALYSIS_SETTINGS = {
  /** Shortest black run reported, and the share of a pixel's range below which it counts as black. */
  blackMinSec: 0.3,
  blackPixelThreshold: 0.1,
  /** Shortest freeze reported, and the frame difference (dB) below which two frames count as the same. */
  freezeMinSec: 2,
  freezeNoiseDb: -60,
  /** A frame whose scene score (0–1 difference from the previous frame) exceeds this starts a new shot. */
  sceneThreshold: 0.3,
  /** Voice quieter than this for at least silenceMinSec is silence. */
  silenceNoiseDb: -45,
  silenceMinSec: 0.3,
} as const;

/**
 * Measures a delivered file and its voice track in one ffmpeg run, decoding each input once:
 * - video (first non-cover-art stream): blackdetect → freezedetect → select(scene) → metadata=print (shot changes);
 * - the file's first audio stream (the final mix): ebur128 with true peak;
 * - the voice track: silencedetect (the mix never goes silent under its music bed, so speech is judged here).
 *
 * Every stream is mapped with `?` and filtered as its own simple filtergraph, so a file without an audio stream
 * (or without video) is analysed rather than rejected: its loudness and true peak come back as the floors of
 * digital silence, -70 LUFS and -144 dBTP (SILENCE_LUFS / SILENCE_DBTP, finite so the job schema stores them), and
 * technical review fails it as inaudible. The video filters run at full size:
 * measured on 2 cores, a downscaled copy (split + scale) for detection was slower than none, as swscale at
 * 1080×1920 costs more than the detectors it spares.
 */
export class FfmpegMediaAnalyzer implements MediaAnalyzer {
  constructor(private readonly ffmpegPath: string) {}

  async analyze(videoPath: string, voiceTrackPath: string): Promise<MediaAnalysis> {
    const { stderr } = await runTool(this.ffmpegPath, analysisArgs(videoPath, voiceTrackPath));
    return parseAnalysisLog(stderr);
  }
}

/** The arguments of the one analysis run; its stderr is what parseAnalysisLog reads. */
export function analysisArgs(videoPath: string, voiceTrackPath: string): string[] {
  const s = ANALYSIS_SETTINGS;
  const video = [
    `blackdetect=d=${s.blackMinSec}:pix_th=${s.blackPixelThreshold}`,
    `freezedetect=n=${s.freezeNoiseDb}dB:d=${s.freezeMinSec}`,
    `select@${SHOTS_FILTER_ID}='gt(scene,${s.sceneThreshold})'`,
    `metadata@${SHOTS_FILTER_ID}=mode=print:key=lavfi.scene_score`,
  ].join(',');
  const voice = `silencedetect=n=${s.silenceNoiseDb}dB:d=${s.silenceMinSec}`;
  // framelog=verbose keeps ebur128's ten-lines-a-second meter out of the info-level log; the summary stays.
  const mix = `ebur128@${MIX_LOUDNESS_FILTER_ID}=peak=true:framelog=verbose`;
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info',
    // Absolute, so a name like "concat:x" or "-x" is read as a file, not a protocol or an option.
    '-i', resolve(videoPath),
    '-i', resolve(voiceTrackPath),
    // Output stream order: v:0 = the video, a:0 = the voice, a:1 = the mix (absent when the file has no audio).
    '-map', '0:V:0?', '-filter:v:0', video,
    '-map', '1:a:0', '-filter:a:0', voice,
    '-map', '0:a:0?', '-filter:a:1', mix,
    '-f', 'null', '-',
  ];
}
