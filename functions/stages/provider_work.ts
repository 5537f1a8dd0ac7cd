import { isProviderFailure } from '../../shared/domain/resilience/errors';
import { ProviderSession } from '../../shared/domain/resilience/provider_session';
import type { VoiceSynthesizer } from '../../shared/ports/media';
import type { GenerativeVoice } from '../../shared/ports/providers';
import type { Capability } from '../../shared/schemas/providers';
import type { StageMessage } from '../../shared/schemas/messages';
import { STAGE_TABLE, STEP_TABLE } from '../../shared/stages';
import type { Runtime } from '../runtime';

/** Time kept back from the function's timeout for what follows the calls (files, the commit). */
function marginMs(timeoutSec: number): number {
  return Math.max(15_000, timeoutSec * 250);
}

/** The provider session of one piece of work, whose calls must be over well before the function's timeout. */
export function providerSession(runtime: Runtime, message: StageMessage): ProviderSession {
  const timeoutSec = message.step === undefined ? STAGE_TABLE[message.state].timeoutSec : STEP_TABLE[message.step.kind].timeoutSec;
  const deadlineMs = runtime.clock().getTime() + timeoutSec * 1000 - marginMs(timeoutSec);
  return new ProviderSession(
    { breakers: runtime.generative.breakers, clock: runtime.clock, policy: runtime.generative.resilience },
    { stage: message.state, eventId: message.eventId, deadlineMs },
  );
}

/**
 * Runs `primary` on a provider and, when the provider cannot be used this time (retries spent, breaker open,
 * unusable answers), notes the fallback with its reason and runs `fallback` instead. Other errors propagate, so
 * the stage is retried.
 */
export async function withFallback<T>(
  session: ProviderSession,
  what: { capability: Capability; provider: string; instead: string },
  primary: () => Promise<T>,
  fallback: () => Promise<T>,
): Promise<T> {
  try {
    return await primary();
  } catch (error) {
    if (!isProviderFailure(error)) throw error;
    session.noteFallback(what.capability, what.provider, `${error.message}; ${what.instead}`);
    return fallback();
  }
}

/** A provider voice in the offline voice's shape, its calls going through the session. */
export function boundVoice(voice: GenerativeVoice, session: ProviderSession): VoiceSynthesizer {
  return { name: voice.name, synthesize: (text, outPath, maxDurationSec) => voice.synthesize(text, outPath, maxDurationSec, session) };
}
