import { expect } from 'chai';
import { AttemptTimeoutError, ProviderHttpError, ProviderUnavailableError } from '../../../../shared/domain/resilience/errors';
import { ProviderSession, type ResiliencePolicy } from '../../../../shared/domain/resilience/provider_session';
import type { ProviderRequest } from '../../../../shared/ports/providers';
import { MemoryBreakerStore } from '../../../support/memory_breaker_store';
import { rejectionOf } from '../../../support/rejection';

const POLICY: ResiliencePolicy = {
  retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
  breaker: { failureThreshold: 4, cooldownMs: 30_000 },
  minAttemptMs: 10,
};

/** A session on a hand-driven clock whose sleeps advance the clock, so waits cost no test time. */
function session(breakers = new MemoryBreakerStore(), deadlineInMs = 600_000) {
  let now = Date.parse('2026-11-01T10:00:00Z');
  const slept: number[] = [];
  const s = new ProviderSession(
    {
      breakers,
      clock: () => new Date(now),
      policy: POLICY,
      random: () => 0.5,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
    },
    { stage: 'INPUT_SANITIZED', eventId: 'ev1', deadlineMs: now + deadlineInMs },
  );
  return { session: s, slept, breakers, advance: (ms: number) => (now += ms) };
}

/** A request whose attempts answer in turn with `outcomes` (an Error is thrown, anything else returned). */
function scripted(outcomes: unknown[], timeoutMs = 1000): ProviderRequest<unknown> & { calls: number } {
  const request = {
    capability: 'creative' as const,
    provider: 'gemini-2.5-flash',
    timeoutMs,
    calls: 0,
    async run() {
      const outcome = outcomes[Math.min(request.calls++, outcomes.length - 1)];
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  };
  return request;
}

describe('ProviderSession', () => {
  it('retries a 429 after its Retry-After and succeeds, noting the retry', async () => {
    const { session: s, slept } = session();
    const request = scripted([new ProviderHttpError(429, 2000, 'quota'), 'ok']);
    expect(await s.call(request)).to.equal('ok');
    expect(request.calls).to.equal(2);
    expect(slept).to.deep.equal([2000]);
    expect(s.events).to.have.length(1);
    expect(s.events[0]).to.include({ kind: 'retry', capability: 'creative', provider: 'gemini-2.5-flash', stage: 'INPUT_SANITIZED' });
    expect(s.events[0].detail).to.equal('HTTP 429; attempt 2 of 3 in 2.00 s (Retry-After 2.0 s)');
  });

  it('backs off exponentially with jitter on 5xx and gives up after the last attempt', async () => {
    const { session: s, slept } = session();
    const request = scripted([new ProviderHttpError(503, null, 'down')]);
    const error = await rejectionOf(s.call(request));
    expect(error).to.be.instanceOf(ProviderUnavailableError);
    expect(error.message).to.equal('gemini-2.5-flash unavailable: HTTP 503 on all 3 attempts');
    expect(slept).to.deep.equal([75, 150]);
  });

  it('does not retry a request the provider refused (4xx other than 408 and 429)', async () => {
    const { session: s } = session();
    const request = scripted([new ProviderHttpError(400, null, 'INVALID_ARGUMENT: bad request')]);
    const error = await rejectionOf(s.call(request));
    expect(request.calls).to.equal(1);
    expect(error.message, 'with what the provider said').to.equal('gemini-2.5-flash unavailable: HTTP 400: INVALID_ARGUMENT: bad request');
  });

  it('times each attempt out on its own and retries the timeout', async () => {
    const { session: s } = session();
    let calls = 0;
    const request: ProviderRequest<string> = {
      capability: 'image',
      provider: 'imagen-4.0-generate-001',
      timeoutMs: 30,
      run: (signal) =>
        calls++ === 0
          ? new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))))
          : Promise.resolve('second'),
    };
    expect(await s.call(request)).to.equal('second');
    expect(s.events[0].detail).to.match(/^no answer within 0\.0 s; attempt 2 of 3/);
    expect(new AttemptTimeoutError(30).message).to.equal('no answer within 0.0 s');
  });

  it('opens the shared breaker after repeated failures, refuses calls while open, and closes after a good probe', async () => {
    const breakers = new MemoryBreakerStore();
    const first = session(breakers);
    await rejectionOf(first.session.call(scripted([new ProviderHttpError(500, null, 'boom')])));
    const second = session(breakers);
    const storm = scripted([new ProviderHttpError(500, null, 'boom')]);
    const error = await rejectionOf(second.session.call(storm));
    expect(storm.calls, 'the 4th failure in a row opens it, and the call gives up at once').to.equal(1);
    expect(error.message).to.equal('gemini-2.5-flash unavailable: HTTP 500; the circuit breaker opened');
    const refused = await rejectionOf(session(breakers).session.call(scripted(['never sent'])));
    expect(refused.message).to.match(/circuit breaker open until 2026-11-01T10:00:30/);
    expect(second.session.events.map((e) => e.kind)).to.deep.equal(['breaker_open']);
    expect(breakers.breakers.get('gemini-2.5-flash')?.state).to.equal('open');

    const later = session(breakers);
    later.advance(30_000);
    expect(await later.session.call(scripted(['up again']))).to.equal('up again');
    expect(later.session.events.map((e) => e.kind)).to.deep.equal(['breaker_half_open', 'breaker_closed']);
    expect(breakers.breakers.get('gemini-2.5-flash')?.state).to.equal('closed');
  });

  it('gives up rather than start a retry that cannot finish before the deadline', async () => {
    const { session: s } = session(new MemoryBreakerStore(), 1000);
    const request = scripted([new ProviderHttpError(429, 5000, 'slow down'), 'ok']);
    const error = await rejectionOf(s.call(request));
    expect(error.message).to.match(/a retry in 5\.0 s would not finish in this run/);
    expect(request.calls).to.equal(1);
  });

  it('bills usage to the ledger of its stage and event', () => {
    const { session: s } = session();
    s.bill([{ item: 'gemini-2.5-flash/input-token', units: 1000 }, { item: 'gemini-2.5-flash/output-token', units: 0 }]);
    expect(s.ledger).to.deep.equal([
      { stage: 'INPUT_SANITIZED', item: 'gemini-2.5-flash/input-token', units: 1000, unit: 'token', unitPriceUsd: 0.3e-6, costUsd: 0.0003, eventId: 'ev1' },
    ]);
  });
});
