import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Lower-case words of a text, punctuation dropped. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Reads the text of the frame at `atSec`, cropped to the safe area (margins cut off), with tesseract:
 * what OCR reads back is what a viewer can read.
 */
export async function readSafeAreaText(video: string, atSec: number, width: number, height: number, margin = 0.1): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocr-'));
  try {
    const frame = path.join(dir, 'frame.png');
    const cropW = Math.round(width * (1 - 2 * margin));
    const cropH = Math.round(height * (1 - 2 * margin));
    // Only near-white pixels (the supers) kept, as black on white: what stands out as white is what OCR must read.
    const crop = `crop=${cropW}:${cropH}:${Math.round(width * margin)}:${Math.round(height * margin)}`;
    const isolateWhite = "format=gray,lut=y='if(gt(val,225),0,255)'";
    await run('ffmpeg', ['-v', 'error', '-ss', atSec.toFixed(3), '-i', video, '-frames:v', '1', '-vf', `${crop},${isolateWhite}`, frame]);
    const { stdout } = await run('tesseract', [frame, '-', '--psm', '11']);
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Share of `expected`'s words found in `read` (0..1). */
export function recall(expected: string, read: string): number {
  const seen = new Set(wordsOf(read));
  const words = wordsOf(expected);
  return words.filter((word) => seen.has(word)).length / Math.max(1, words.length);
}
