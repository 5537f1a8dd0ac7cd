import { ProviderSession, type ResiliencePolicy } from '../../shared/domain/resilience/provider_session';
import type { BreakerStore } from '../../shared/ports/breakers';
import { MemoryBreakerStore } from './memory_breaker_store';

/** Resilience with short waits, so retry tests take milliseconds (Retry-After is still honoured as sent). */
export const FAST_RESILIENCE: ResiliencePolicy = {
  retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 200 },
  breaker: { failureThreshold: 4, cooldownMs: 60_000 },
  minAttemptMs: 50,
};

/** A session of one stage's work on the real clock, with `secondsLeft` to spend (a minute by default). */
export function testSession(breakers: BreakerStore = new MemoryBreakerStore(), secondsLeft = 60): ProviderSession {
  const policy = FAST_RESILIENCE;
  return new ProviderSession({ breakers, clock: () => new Date(), policy }, { stage: 'INPUT_SANITIZED', eventId: 'ev-test', deadlineMs: Date.now() + secondsLeft * 1000 });
}
