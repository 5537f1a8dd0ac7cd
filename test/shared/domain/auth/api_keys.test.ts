import { expect } from 'chai';
import { apiKeyIdOf, hashApiKey, hashesMatch, isWellFormedApiKey, newApiKey } from '../../../../shared/domain/auth/api_keys';

describe('API keys', () => {
  it('are 256 random bits, different every time, and well formed', () => {
    const keys = new Set(Array.from({ length: 100 }, newApiKey));
    expect(keys.size).to.equal(100);
    for (const key of keys) expect(isWellFormedApiKey(key)).to.equal(true);
  });

  it('are found by an id derived from their hash, and compared by hash', () => {
    const key = newApiKey();
    const hash = hashApiKey(key);
    expect(hash).to.match(/^[0-9a-f]{64}$/);
    expect(apiKeyIdOf(hash)).to.equal(`key_${hash.slice(0, 24)}`);
    expect(hashesMatch(hash, hashApiKey(key))).to.equal(true);
    expect(hashesMatch(hash, hashApiKey(`${key}x`))).to.equal(false);
    expect(hashesMatch(hash, 'abcd')).to.equal(false);
  });

  it('refuses short or strange keys before any lookup', () => {
    for (const key of ['', 'short', 'a'.repeat(23), 'a'.repeat(129), `${'a'.repeat(30)} `, `${'a'.repeat(30)}/`]) expect(isWellFormedApiKey(key), key).to.equal(false);
  });
});
