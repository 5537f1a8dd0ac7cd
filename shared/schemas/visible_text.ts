import { z } from 'zod';

const NO_CONTROLS = /^[^\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]*$/u;
/** The same, but line breaks are allowed (supers are set line by line). */
const NO_CONTROLS_BUT_LINE_BREAKS = /^(?:(?![\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069])[\s\S]|\n)*$/u;

/**
 * Text that ends up on screen or in speech: trimmed and bounded, with no control characters, no lone surrogates
 * and no bidirectional overrides (which make text read differently from how it is stored).
 */
export function visibleText(min: number, max: number, options: { lineBreaks?: boolean } = {}) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .regex(options.lineBreaks ? NO_CONTROLS_BUT_LINE_BREAKS : NO_CONTROLS, 'no control or bidirectional-override characters');
}
