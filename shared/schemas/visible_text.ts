import { z } from 'zod';

/**
 * Text that ends up on screen or in speech: trimmed and bounded, with no control characters, no lone surrogates
 * and no bidirectional overrides (which make text read differently from how it is stored).
 */
export function visibleText(min: number, max: number) {
  return z
    .string()
    .trim()
    .min(min)
    .max(max)
    .regex(/^[^\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]*$/u, 'no control or bidirectional-override characters');
}
