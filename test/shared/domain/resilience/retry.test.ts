import { expect } from 'chai';
import { parseRetryAfter, retryDelayMs } from '../../../../shared/domain/resilience/retry';

const POLICY = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 5000 };

describe('retry delays', () => {
  it('doubles per retry within a jitter of half the delay, capped', () => {
    expect(retryDelayMs(POLICY, 1, 0, null)).to.equal(500);
    expect(retryDelayMs(POLICY, 1, 1, null)).to.equal(1000);
    expect(retryDelayMs(POLICY, 2, 0.5, null)).to.equal(1500);
    expect(retryDelayMs(POLICY, 6, 1, null)).to.equal(5000);
  });

  it('never retries before the Retry-After the provider asked for', () => {
    expect(retryDelayMs(POLICY, 1, 0, 3000)).to.equal(3000);
    expect(retryDelayMs(POLICY, 3, 1, 100)).to.equal(4000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = new Date('2026-11-01T10:00:00Z');
    expect(parseRetryAfter('2', now)).to.equal(2000);
    expect(parseRetryAfter('0.5', now)).to.equal(500);
    expect(parseRetryAfter('Sun, 01 Nov 2026 10:00:07 GMT', now)).to.equal(7000);
    expect(parseRetryAfter(null, now)).to.equal(null);
    expect(parseRetryAfter('soon', now)).to.equal(null);
  });
});
