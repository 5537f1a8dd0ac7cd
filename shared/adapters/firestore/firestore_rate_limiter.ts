import { createHash } from 'node:crypto';
import type { v1 } from '@google-cloud/firestore';
import type { CallOptions } from 'google-gax';
import type { RateBucket, RateDecision, RateLimiter } from '../../ports/rate_limiter';

export type FirestoreRpcClient = InstanceType<typeof v1.FirestoreClient>;

/**
 * Fixed-window counters in the `rate_limits` collection, one document per bucket and window, counted with one
 * Firestore commit of atomic increments. The commit answers each increment's result, which is the request's
 * position in its window: exactly the first `limit` requests of a window get through, however many instances count
 * at once, with no read and no transaction to contend on. (The high-level client drops those results, so this goes
 * through the Firestore v1 client.) Documents carry `expireAt` for a Firestore TTL policy to remove them.
 */
export class FirestoreRateLimiter implements RateLimiter {
  constructor(
    private readonly client: FirestoreRpcClient,
    /** projects/<p>/databases/<d> */
    private readonly database: string,
    /** Per-call options (the emulator's admin header, locally). */
    private readonly callOptions: CallOptions = {},
    private readonly windowSec = 60,
    private readonly collection = 'rate_limits',
  ) {}

  async hit(buckets: RateBucket[], now: Date): Promise<RateDecision> {
    if (buckets.length === 0) return { allowed: true };
    const windowStart = Math.floor(now.getTime() / 1000 / this.windowSec) * this.windowSec;
    const windowEnd = windowStart + this.windowSec;
    const writes = buckets.map((bucket) => ({
      update: {
        // Bucket keys hold addresses and ids: hashing keeps document names short and free of '/'.
        name: `${this.database}/documents/${this.collection}/${createHash('sha256').update(bucket.key).digest('hex').slice(0, 32)}_${windowStart}`,
        fields: { expireAt: { timestampValue: { seconds: windowEnd + this.windowSec } } },
      },
      updateMask: { fieldPaths: ['expireAt'] },
      updateTransforms: [{ fieldPath: 'count', increment: { integerValue: 1 } }],
    }));
    const [response] = await this.client.commit({ database: this.database, writes }, this.callOptions);
    const retryAfterSec = Math.max(1, Math.ceil(windowEnd - now.getTime() / 1000));
    for (let i = 0; i < buckets.length; i++) {
      const position = Number(response.writeResults?.[i]?.transformResults?.[0]?.integerValue ?? Number.NaN);
      if (!Number.isFinite(position)) throw new Error('Firestore did not answer the counter increment');
      if (position > buckets[i].limit) return { allowed: false, bucket: buckets[i].key, retryAfterSec };
    }
    return { allowed: true };
  }
}
