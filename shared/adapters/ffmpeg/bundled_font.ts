import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const HEADLINE_FONT = join('assets', 'fonts', 'Inter-Black.otf');

/**
 * The headline font shipped in the repository's assets/fonts. Found by walking up from this file, so it
 * resolves the same from the TypeScript sources and from the compiled build/ tree.
 */
export function bundledHeadlineFont(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, HEADLINE_FONT);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`${HEADLINE_FONT} not found above ${from}`);
  }
}
