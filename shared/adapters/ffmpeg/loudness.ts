import { resolve } from 'node:path';
import { runTool } from './run_tool';

/** EBU R128 figures of a whole programme. */
export interface Loudness {
  integratedLufs: number;
  truePeakDbtp: number;
}

/** Everything ebur128's summary gives, which is all loudnorm's second pass needs to know. */
export interface LoudnessMeasurement extends Loudness {
  /** The relative gate the integrated loudness was measured above. */
  thresholdLufs: number;
  rangeLu: number;
}

export interface LoudnormTarget {
  integratedLufs: number;
  truePeakDbtp: number;
  loudnessRangeLu: number;
}

const MIN_MEASURED_RANGE_LU = 0.1;

/** ebur128 with true peak, logging only its summary (its per-frame lines go to the verbose level). */
export const EBUR128_SUMMARY_FILTER = 'ebur128=peak=true:framelog=verbose';

/** Measures the first audio stream of a file with the ebur128 filter (true peak by 4× oversampling). */
export async function measureLoudness(ffmpegPath: string, path: string): Promise<LoudnessMeasurement> {
  const { stderr } = await runTool(ffmpegPath, [
    '-hide_banner', '-nostats',
    // Absolute, so a name like "concat:x" is read as a file, not a protocol.
    '-i', resolve(path),
    '-map', '0:a:0',
    '-filter:a', EBUR128_SUMMARY_FILTER,
    '-f', 'null', '-',
  ]);
  return parseEbur128Summary(stderr);
}

/**
 * Reads the summary ebur128 logs when its input ends (the last one, if several ran). A silent input
 * reports -70 LUFS (the absolute gate) and a true peak of -inf.
 */
export function parseEbur128Summary(log: string): LoudnessMeasurement {
  const start = log.lastIndexOf('Summary:');
  const summary = start < 0 ? '' : log.slice(start);
  const figure = (pattern: RegExp): number => {
    const match = pattern.exec(summary);
    if (match === null) throw new Error('ebur128 printed no loudness summary (was it run with peak=true?)');
    return match[1] === '-inf' ? -Infinity : Number.parseFloat(match[1]);
  };
  return {
    integratedLufs: figure(/Integrated loudness:\s+I:\s+(-?[\d.]+|-inf) LUFS/),
    thresholdLufs: figure(/Integrated loudness:\s+I:.*\s+Threshold:\s+(-?[\d.]+|-inf) LUFS/),
    rangeLu: figure(/LRA:\s+([\d.]+) LU/),
    truePeakDbtp: figure(/True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS/),
  };
}

/**
 * loudnorm's second pass, fed by ebur128 (the yardstick the delivery is checked with): loudnorm's own
 * first pass read a 12 s mix 0.6 LU quieter than ebur128 did, and missed the inter-sample peaks ebur128
 * saw. With measured figures and linear=true loudnorm applies one gain to the whole programme, provided
 * that gain keeps the true peak under its target (callers shape peaks before measuring); otherwise it
 * falls back to its dynamic mode.
 */
export function loudnormLinearFilter(target: LoudnormTarget, measured: LoudnessMeasurement): string {
  // Linear mode also requires the programme's range within the target's, which matters only to the dynamic
  // mode: widened to the measured range, it never forces the fallback. And loudnorm reads a range of 0 as
  // "not measured" and refuses linear mode, though a perfectly steady programme does measure 0.
  const measuredRange = Math.max(measured.rangeLu, MIN_MEASURED_RANGE_LU);
  return [
    `loudnorm=I=${target.integratedLufs}`,
    `TP=${target.truePeakDbtp}`,
    `LRA=${Math.max(target.loudnessRangeLu, Math.ceil(measuredRange))}`,
    `measured_I=${measured.integratedLufs}`,
    `measured_TP=${measured.truePeakDbtp}`,
    `measured_LRA=${measuredRange}`,
    `measured_thresh=${measured.thresholdLufs}`,
    'linear=true',
  ].join(':');
}
