/** One counter a request counts against: a key, a user or an address, with its own limit per window. */
export interface RateBucket {
  key: string;
  limit: number;
}

export type RateDecision = { allowed: true } | { allowed: false; bucket: string; retryAfterSec: number };

/** Fixed-window request counters shared by every instance of the API. */
export interface RateLimiter {
  /** Counts one request against every bucket; refused when any bucket has gone over its limit in this window. */
  hit(buckets: RateBucket[], now: Date): Promise<RateDecision>;
}
