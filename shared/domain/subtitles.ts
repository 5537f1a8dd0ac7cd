import type { SubtitleCue } from '../ports/media';

/** Longest cue a viewer reads comfortably at a glance: two short lines. */
const MAX_CUE_CHARS = 42;

/** Splits a spoken line into readable chunks, breaking after sentence ends and before MAX_CUE_CHARS. */
export function chunkLine(line: string): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const word of line.split(/\s+/u).filter(Boolean)) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (current !== '' && candidate.length > MAX_CUE_CHARS) {
      chunks.push(current);
      current = word;
    } else {
      current = candidate;
    }
    if (/[.!?]$/u.test(current) && current.length >= MAX_CUE_CHARS / 2) {
      chunks.push(current);
      current = '';
    }
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

/**
 * Cues for one spoken line: its chunks share the measured speaking time in proportion to their length,
 * starting when the line starts.
 */
export function cuesForLine(line: string, startSec: number, spokenSec: number): SubtitleCue[] {
  const chunks = chunkLine(line);
  const totalChars = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  let at = startSec;
  return chunks.map((text) => {
    const length = (spokenSec * text.length) / totalChars;
    const cue = { startSec: round(at), endSec: round(at + length), text };
    at += length;
    return cue;
  });
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

function timestamp(seconds: number, separator: ',' | '.'): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${separator}${pad(ms % 1000, 3)}`;
}

export function toSrt(cues: readonly SubtitleCue[]): string {
  return cues.map((cue, i) => `${i + 1}\n${timestamp(cue.startSec, ',')} --> ${timestamp(cue.endSec, ',')}\n${cue.text}\n`).join('\n');
}

export function toWebVtt(cues: readonly SubtitleCue[]): string {
  return `WEBVTT\n\n${cues.map((cue) => `${timestamp(cue.startSec, '.')} --> ${timestamp(cue.endSec, '.')}\n${cue.text}\n`).join('\n')}`;
}
