import type { LedgerEntry } from '../../schemas/job';
import type { Capability, ProviderEvent, ProviderEventKind } from '../../schemas/providers';
import type { State } from '../../stages';
import type { BreakerStore } from '../../ports/breakers';
import type { ProviderContext, ProviderRequest, Usage } from '../../ports/providers';
import { redact } from '../../redaction';
import { ledgerEntry } from '../prices';
import { admit, afterFailure, afterSuccess, type BreakerPolicy } from './breaker';
import { AttemptTimeoutError, classifyFailure, ProviderUnavailableError } from './errors';
import { retryDelayMs, type RetryPolicy } from './retry';

export interface ResiliencePolicy {
  retry: RetryPolicy;
  breaker: BreakerPolicy;
  /** An attempt that would have less time than this before the deadline is not started. */
  minAttemptMs: number;
}

export const DEFAULT_RESILIENCE: ResiliencePolicy = {
  retry: { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 20_000 },
  breaker: { failureThreshold: 5, cooldownMs: 30_000 },
  minAttemptMs: 2000,
};

export interface SessionDeps {
  breakers: BreakerStore;
  clock: () => Date;
  policy: ResiliencePolicy;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface SessionScope {
  stage: State;
  eventId: string;
  /** Epoch ms by which every call must be over (the function's own timeout, less a margin). */
  deadlineMs: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs one attempt with its own timeout; the attempt sees the abort through `signal`. */
async function attempt<T>(run: (signal: AbortSignal) => Promise<T>, timeoutMs: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Rejected before the abort, so the race ends with the timeout rather than whatever the abort causes.
      reject(new AttemptTimeoutError(timeoutMs));
      controller.abort();
    }, timeoutMs);
  });
  try {
    return await Promise.race([run(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The provider calls of one piece of stage work: each request gets per-attempt timeouts, retries with exponential
 * backoff and jitter on 408/429/5xx, timeouts and dropped connections (honouring Retry-After), and its provider's
 * shared circuit breaker. What the calls cost and every retry, breaker change and repair are kept for the job.
 */
export class ProviderSession implements ProviderContext {
  readonly events: ProviderEvent[] = [];
  readonly ledger: LedgerEntry[] = [];
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    private readonly deps: SessionDeps,
    readonly scope: SessionScope,
  ) {
    this.sleep = deps.sleep ?? defaultSleep;
    this.random = deps.random ?? Math.random;
  }

  bill(usage: readonly Usage[]): void {
    for (const { item, units } of usage) if (units > 0) this.ledger.push(ledgerEntry(this.scope.stage, item, units, this.scope.eventId));
  }

  noteRepair(capability: Capability, provider: string, detail: string): void {
    this.note(capability, provider, 'repair', detail);
  }

  /** Records a fallback the stage made (to another backend, or offline). */
  noteFallback(capability: Capability, provider: string, detail: string): void {
    this.note(capability, provider, 'fallback', detail);
  }

  async call<T>(request: ProviderRequest<T>): Promise<T> {
    const { retry } = this.deps.policy;
    const unavailable = (reason: string, cause?: unknown) => new ProviderUnavailableError(request.capability, request.provider, reason, { cause });
    for (let attemptNo = 1; ; attemptNo++) {
      const left = this.scope.deadlineMs - this.now().getTime();
      if (left < this.deps.policy.minAttemptMs) throw unavailable(`no time left in this run for attempt ${attemptNo}`);
      const timeoutMs = Math.min(request.timeoutMs, left);
      const probe = await this.admit(request, timeoutMs);
      try {
        const result = await attempt(request.run, timeoutMs);
        await this.recordAnswer(request, probe);
        return result;
      } catch (error) {
        const failure = classifyFailure(error);
        const tripped = failure.outage ? await this.recordOutage(request, failure.describe) : (await this.recordAnswer(request, probe), false);
        if (tripped) throw unavailable(`${failure.describe}; the circuit breaker opened`, error);
        if (!failure.retryable) throw unavailable(failure.detail, error);
        if (attemptNo >= retry.maxAttempts) throw unavailable(`${failure.describe} on all ${retry.maxAttempts} attempts`, error);
        const delayMs = retryDelayMs(retry, attemptNo, this.random(), failure.retryAfterMs);
        if (this.now().getTime() + delayMs + this.deps.policy.minAttemptMs > this.scope.deadlineMs) {
          throw unavailable(`${failure.describe}; a retry in ${(delayMs / 1000).toFixed(1)} s would not finish in this run`, error);
        }
        const after = failure.retryAfterMs === null ? '' : ` (Retry-After ${(failure.retryAfterMs / 1000).toFixed(1)} s)`;
        this.note(request.capability, request.provider, 'retry', `${failure.describe}; attempt ${attemptNo + 1} of ${retry.maxAttempts} in ${(delayMs / 1000).toFixed(2)} s${after}`);
        await this.sleep(delayMs);
      }
    }
  }

  /** Lets the request through the breaker, or refuses it while the breaker is open; returns whether it is the probe. */
  private async admit(request: ProviderRequest<unknown>, probeLeaseMs: number): Promise<boolean> {
    const admission = await this.deps.breakers.update(request.provider, (breaker) => {
      const decision = admit(breaker, this.now(), probeLeaseMs);
      return { next: decision.admitted ? decision.next : null, result: decision };
    });
    if (!admission.admitted) {
      throw new ProviderUnavailableError(request.capability, request.provider, `circuit breaker open until ${admission.until.toISOString()}`);
    }
    if (admission.probe) this.note(request.capability, request.provider, 'breaker_half_open', 'cool-down over: this call probes the provider');
    return admission.probe;
  }

  private async recordAnswer(request: ProviderRequest<unknown>, probe: boolean): Promise<void> {
    const closed = await this.deps.breakers.update(request.provider, (breaker) => {
      const { next, closed: didClose } = afterSuccess(breaker);
      return { next, result: didClose };
    });
    if (closed) this.note(request.capability, request.provider, 'breaker_closed', probe ? 'the probe got an answer' : 'the provider answered');
  }

  /** Counts an outage against the provider's breaker; returns whether it opened the breaker. */
  private async recordOutage(request: ProviderRequest<unknown>, describe: string): Promise<boolean> {
    const tripped = await this.deps.breakers.update(request.provider, (breaker) => {
      const { next, tripped: didTrip } = afterFailure(breaker, this.now(), this.deps.policy.breaker);
      return { next, result: didTrip ? next.failures : null };
    });
    if (tripped !== null) {
      const cooldown = (this.deps.policy.breaker.cooldownMs / 1000).toFixed(0);
      this.note(request.capability, request.provider, 'breaker_open', `${describe} after ${tripped} failures in a row; calls refused for ${cooldown} s`);
    }
    return tripped !== null;
  }

  private note(capability: Capability, provider: string, kind: ProviderEventKind, detail: string): void {
    this.events.push({ at: this.now().toISOString(), stage: this.scope.stage, capability, provider, kind, detail: redact(detail) });
  }

  private now(): Date {
    return this.deps.clock();
  }
}
