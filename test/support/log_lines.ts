import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestPlatform } from './root_hooks';

/** Every line the platform's functions (and this process) have logged so far, parsed. */
export function loggedLines(platform: TestPlatform): Record<string, unknown>[] {
  return readFileSync(path.join(platform.workDir, 'functions.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
