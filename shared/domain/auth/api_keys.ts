import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Generated keys carry 256 random bits; keys given by configuration must be at least this long. */
export const MIN_API_KEY_LENGTH = 24;
const KEY_PATTERN = /^[A-Za-z0-9_-]+$/;

export function isWellFormedApiKey(key: string): boolean {
  return key.length >= MIN_API_KEY_LENGTH && key.length <= 128 && KEY_PATTERN.test(key);
}

/** Keys are stored only as their SHA-256: a leaked key table cannot be used to call the API. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A key's id is derived from its hash, so a presented key is found with one read and no index. */
export function apiKeyIdOf(hash: string): string {
  return `key_${hash.slice(0, 24)}`;
}

export function newApiKey(): string {
  return `aiprod_${randomBytes(32).toString('base64url')}`;
}

export function hashesMatch(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
