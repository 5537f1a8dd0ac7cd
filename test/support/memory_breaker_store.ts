import { CLOSED_BREAKER, type BreakerState } from '../../shared/domain/resilience/breaker';
import type { BreakerStore } from '../../shared/ports/breakers';

/** Breakers in a map, for unit tests of the code around them (the Firestore store is tested on the emulator). */
export class MemoryBreakerStore implements BreakerStore {
  readonly breakers = new Map<string, BreakerState>();

  async update<T>(provider: string, change: (breaker: BreakerState) => { next: BreakerState | null; result: T }): Promise<T> {
    const { next, result } = change(this.breakers.get(provider) ?? CLOSED_BREAKER);
    if (next !== null) this.breakers.set(provider, next);
    return result;
  }
}
