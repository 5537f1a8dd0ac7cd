import { ConfigError } from './config';
import { CAPABILITIES, type Capability } from './schemas/providers';
import { modelPriceItem, UnpricedItemError, type ModelUnit } from './domain/prices';
import { DEFAULT_RESILIENCE, type ResiliencePolicy } from './domain/resilience/provider_session';

export type ProviderChoice = 'local' | 'genai';

/** Where a secret comes from: a variable Cloud Functions mounts it into, or a Secret Manager name to read. */
export type SecretRef = { env: string } | { secretManager: string };

export interface VideoPolling {
  /** How long one invocation keeps polling before it sends the next poll message. */
  waitSec: number;
  intervalSec: number;
  /** Poll invocations before the scene falls back to a keyframe. */
  maxPolls: number;
}

export interface ProvidersConfig {
  capabilities: Record<Capability, ProviderChoice>;
  models: Record<Capability, string>;
  /** Gemini's prebuilt voice for the voiceover. */
  voiceName: string;
  project: string;
  location: string;
  /** The Gemini API key; without one Gemini is used through Vertex AI. */
  apiKey: SecretRef | null;
  /** A service-account key for Vertex AI; without one the function's own identity is used. */
  serviceAccountKey: SecretRef | null;
  resilience: ResiliencePolicy;
  videoPolling: VideoPolling;
}

/** The environment variables the provider secrets are mounted as (terraform/secrets.tf mounts them under these names). */
export const MOUNTED_SECRETS = { apiKey: 'AIPROD_GENAI_API_KEY', serviceAccountKey: 'AIPROD_GENAI_SERVICE_ACCOUNT_KEY' } as const;

export const DEFAULT_MODELS: Readonly<Record<Capability, string>> = {
  creative: 'gemini-2.5-flash',
  image: 'imagen-4.0-generate-001',
  video: 'veo-3.0-generate-001',
  voice: 'gemini-2.5-flash-preview-tts',
  judge: 'gemini-2.5-flash',
};

/** What each capability's calls are billed by: a model the price table lacks is refused at start-up. */
const BILLED_BY: Readonly<Record<Capability, readonly ModelUnit[]>> = {
  creative: ['input-token', 'output-token'],
  image: ['image'],
  video: ['video-second'],
  voice: ['input-token', 'output-token'],
  judge: ['input-token', 'output-token'],
};

const ENV_NAME: Readonly<Record<Capability, string>> = { creative: 'CREATIVE', image: 'IMAGE', video: 'VIDEO', voice: 'VOICE', judge: 'JUDGE' };

function choice(value: string | undefined, name: string, fallback: ProviderChoice): ProviderChoice {
  if (value === undefined || value === '') return fallback;
  if (value === 'local' || value === 'genai') return value;
  throw new ConfigError(`${name} must be local or genai, not ${JSON.stringify(value)}`);
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${name} must be a positive number, not ${JSON.stringify(raw)}`);
  return value;
}

function secretRef(env: NodeJS.ProcessEnv, mounted: string): SecretRef | null {
  if (env[mounted] !== undefined && env[mounted] !== '') return { env: mounted };
  const name = env[`${mounted}_SECRET`];
  return name === undefined || name === '' ? null : { secretManager: name };
}

/**
 * The generative providers' configuration: AIPROD_PROVIDERS=local|genai for all capabilities (local by default),
 * AIPROD_PROVIDER_<CAPABILITY> to override one; models, project and location with defaults; secrets by reference
 * only (their values are read when the runtime is built). The SDK's own GOOGLE_GEMINI_BASE_URL and
 * GOOGLE_VERTEX_BASE_URL are left to the SDK.
 */
export function loadProvidersConfig(env: NodeJS.ProcessEnv = process.env): ProvidersConfig {
  const all = choice(env.AIPROD_PROVIDERS, 'AIPROD_PROVIDERS', 'local');
  const capabilities = Object.fromEntries(
    CAPABILITIES.map((capability) => [capability, choice(env[`AIPROD_PROVIDER_${ENV_NAME[capability]}`], `AIPROD_PROVIDER_${ENV_NAME[capability]}`, all)]),
  ) as Record<Capability, ProviderChoice>;
  const models = Object.fromEntries(CAPABILITIES.map((capability) => [capability, env[`AIPROD_MODEL_${ENV_NAME[capability]}`] || DEFAULT_MODELS[capability]])) as Record<Capability, string>;
  for (const capability of CAPABILITIES) {
    if (capabilities[capability] !== 'genai') continue;
    try {
      for (const unit of BILLED_BY[capability]) modelPriceItem(models[capability], unit);
    } catch (error) {
      if (error instanceof UnpricedItemError) throw new ConfigError(`AIPROD_MODEL_${ENV_NAME[capability]}: ${error.message}`);
      throw error;
    }
  }
  const usesGenai = CAPABILITIES.some((capability) => capabilities[capability] === 'genai');
  const project = env.GOOGLE_CLOUD_PROJECT ?? '';
  if (usesGenai && project === '') throw new ConfigError('AIPROD_PROVIDERS=genai needs GOOGLE_CLOUD_PROJECT (the Vertex AI project)');
  return {
    capabilities,
    models,
    voiceName: env.AIPROD_TTS_VOICE || 'Kore',
    project,
    location: env.GOOGLE_CLOUD_LOCATION || 'us-central1',
    apiKey: secretRef(env, MOUNTED_SECRETS.apiKey),
    serviceAccountKey: secretRef(env, MOUNTED_SECRETS.serviceAccountKey),
    resilience: {
      retry: {
        maxAttempts: positive(env, 'AIPROD_RETRY_MAX_ATTEMPTS', DEFAULT_RESILIENCE.retry.maxAttempts),
        baseDelayMs: positive(env, 'AIPROD_RETRY_BASE_DELAY_MS', DEFAULT_RESILIENCE.retry.baseDelayMs),
        maxDelayMs: positive(env, 'AIPROD_RETRY_MAX_DELAY_MS', DEFAULT_RESILIENCE.retry.maxDelayMs),
      },
      breaker: {
        failureThreshold: positive(env, 'AIPROD_BREAKER_FAILURES', DEFAULT_RESILIENCE.breaker.failureThreshold),
        cooldownMs: positive(env, 'AIPROD_BREAKER_COOLDOWN_SEC', DEFAULT_RESILIENCE.breaker.cooldownMs / 1000) * 1000,
      },
      minAttemptMs: DEFAULT_RESILIENCE.minAttemptMs,
    },
    videoPolling: {
      waitSec: positive(env, 'AIPROD_VEO_POLL_WAIT_SEC', 20),
      intervalSec: positive(env, 'AIPROD_VEO_POLL_INTERVAL_SEC', 5),
      maxPolls: positive(env, 'AIPROD_VEO_MAX_POLLS', 30),
    },
  };
}
