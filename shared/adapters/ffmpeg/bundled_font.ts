import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const HEADLINE_FONT = 'Inter-Black.otf';
/** Subtitles, name bars and labels: a lighter cut of the same family reads better at small sizes. */
const BODY_FONT = 'Inter-SemiBold.otf';

/** The heavy font headlines and calls to action are set in. */
export function bundledHeadlineFont(from: string = __dirname): string {
  return bundledFont(HEADLINE_FONT, from);
}

/** The font small text is set in. */
export function bundledBodyFont(from: string = __dirname): string {
  return bundledFont(BODY_FONT, from);
}

/**
 * A font shipped in the repository's assets/fonts. Found by walking up from this file, so it resolves the
 * same from the TypeScript sources and from the compiled build/ tree.
 */
function bundledFont(fileName: string, from: string): string {
  const relative = join('assets', 'fonts', fileName);
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`${relative} not found above ${from}`);
  }
}
