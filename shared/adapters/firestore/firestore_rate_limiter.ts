import { createHash } from 'node:crypto';
import { FieldValue, Timestamp, type Firestore } from '@google-cloud/firestore';
import type { RateBucket, RateDecision, RateLimiter } from '../../ports/rate_limiter';

/**
 * Fixed-window counters in the `rate_limits` collection, one document per bucket and window. Each request adds
 * one with an atomic increment and then reads the totals: the read sees at least its own increment, so a
 * request beyond the limit is always refused, without a transaction that concurrent requests would contend on.
 * Documents carry `expireAt` for a Firestore TTL policy to remove them.
 */
export class FirestoreRateLimiter implements RateLimiter {
  constructor(
    private readonly db: Firestore,
    private readonly windowSec = 60,
    private readonly collection = 'rate_limits',
  ) {}

  async hit(buckets: RateBucket[], now: Date): Promise<RateDecision> {
    if (buckets.length === 0) return { allowed: true };
    const windowStart = Math.floor(now.getTime() / 1000 / this.windowSec) * this.windowSec;
    const windowEnd = windowStart + this.windowSec;
    // Bucket keys hold addresses and ids: hashing keeps document names short and free of '/'.
    const refs = buckets.map((bucket) =>
      this.db.collection(this.collection).doc(`${createHash('sha256').update(bucket.key).digest('hex').slice(0, 32)}_${windowStart}`),
    );
    const batch = this.db.batch();
    for (const ref of refs) {
      batch.set(ref, { count: FieldValue.increment(1), expireAt: Timestamp.fromMillis((windowEnd + this.windowSec) * 1000) }, { merge: true });
    }
    await batch.commit();
    const snapshots = await this.db.getAll(...refs);
    const retryAfterSec = Math.max(1, Math.ceil(windowEnd - now.getTime() / 1000));
    for (let i = 0; i < buckets.length; i++) {
      if ((snapshots[i].get('count') as number) > buckets[i].limit) return { allowed: false, bucket: buckets[i].key, retryAfterSec };
    }
    return { allowed: true };
  }
}
