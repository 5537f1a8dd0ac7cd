/** What a delivery of a scheduled firing may do: run its work, or leave it (already done, or running elsewhere). */
export type FiringClaim = 'claimed' | 'done' | 'busy';

/**
 * Which firings of a schedule have run: Pub/Sub may deliver one firing several times, and its work must run once.
 * A claim is a lease, so a run that died can be taken over once the lease has expired.
 */
export interface FiringLedger {
  /** Takes the firing's lease for `holder` until `leaseUntil`, unless its work is done or another live lease holds it. */
  claim(key: string, holder: string, now: Date, leaseUntil: Date): Promise<FiringClaim>;
  /** Marks the firing's work done, keeping `summary`; only the lease holder may. */
  complete(key: string, holder: string, now: Date, summary: string): Promise<void>;
  /** Gives the lease up after a failed run, so the redelivery can start at once. */
  release(key: string, holder: string): Promise<void>;
}
