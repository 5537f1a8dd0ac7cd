/**
 * A circuit breaker per provider, as pure state changes: closed until `failureThreshold` failures in a row; then
 * open, refusing calls, for `cooldownMs`; then half open, letting one call through as a probe, whose success closes
 * it and whose failure opens it again. The state lives in a shared store, so every function instance sees it.
 */
export interface BreakerState {
  state: 'closed' | 'open' | 'half_open';
  /** Failures in a row. */
  failures: number;
  /** While open: when a probe may go through. */
  openUntil: string | null;
  /** While half open: until when the probe in flight holds the breaker (a lost probe frees it then). */
  probeUntil: string | null;
}

export const CLOSED_BREAKER: BreakerState = { state: 'closed', failures: 0, openUntil: null, probeUntil: null };

export interface BreakerPolicy {
  failureThreshold: number;
  cooldownMs: number;
}

export type Admission =
  | { admitted: true; probe: boolean; next: BreakerState | null }
  | { admitted: false; until: Date };

/** Whether a call may go out now; an open breaker past its cool-down lets this call through as the probe. */
export function admit(breaker: BreakerState, now: Date, probeLeaseMs: number): Admission {
  if (breaker.state === 'closed') return { admitted: true, probe: false, next: null };
  const blockedUntil = breaker.state === 'open' ? breaker.openUntil : breaker.probeUntil;
  if (blockedUntil !== null && Date.parse(blockedUntil) > now.getTime()) return { admitted: false, until: new Date(blockedUntil) };
  const probeUntil = new Date(now.getTime() + probeLeaseMs).toISOString();
  return { admitted: true, probe: true, next: { ...breaker, state: 'half_open', openUntil: null, probeUntil } };
}

/** After a failed call: counts it, and opens the breaker at the threshold or when the probe failed. */
export function afterFailure(breaker: BreakerState, now: Date, policy: BreakerPolicy): { next: BreakerState; tripped: boolean } {
  const failures = breaker.failures + 1;
  const trips = breaker.state === 'half_open' || (breaker.state === 'closed' && failures >= policy.failureThreshold);
  if (!trips) return { next: { ...breaker, failures }, tripped: false };
  return { next: { state: 'open', failures, openUntil: new Date(now.getTime() + policy.cooldownMs).toISOString(), probeUntil: null }, tripped: true };
}

/** After a call the provider answered: the provider is up, so the breaker closes. */
export function afterSuccess(breaker: BreakerState): { next: BreakerState | null; closed: boolean } {
  if (breaker.state === 'closed') return { next: breaker.failures === 0 ? null : CLOSED_BREAKER, closed: false };
  return { next: CLOSED_BREAKER, closed: true };
}
