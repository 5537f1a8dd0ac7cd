import type { BreakerState } from '../domain/resilience/breaker';

/** Where circuit breakers live, shared by every function instance. */
export interface BreakerStore {
  /** Reads the provider's breaker (closed when never used) and writes what `change` returns, atomically. */
  update<T>(provider: string, change: (breaker: BreakerState) => { next: BreakerState | null; result: T }): Promise<T>;
}
