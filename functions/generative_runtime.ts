import { Firestore } from '@google-cloud/firestore';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { FirestoreBrandKits } from '../shared/adapters/firestore/firestore_brand_kits';
import { FirestoreBreakerStore } from '../shared/adapters/firestore/firestore_breaker_store';
import { FirestoreTenantBudgets } from '../shared/adapters/firestore/firestore_tenant_budgets';
import { FfmpegReviewProxy } from '../shared/adapters/ffmpeg/review_proxy';
import { GeminiCreativeDirector } from '../shared/adapters/genai/gemini_creative_director';
import { GeminiVideoJudge } from '../shared/adapters/genai/gemini_video_judge';
import { GeminiVoice } from '../shared/adapters/genai/gemini_voice';
import { geminiClient, loadGenaiSdk, vertexClient, type GenaiConnection } from '../shared/adapters/genai/genai_clients';
import { ImagenGenerator } from '../shared/adapters/genai/imagen_generator';
import { VeoGenerator } from '../shared/adapters/genai/veo_generator';
import { EnvSecretSource } from '../shared/adapters/secrets/env_secret_source';
import { SecretManagerSource } from '../shared/adapters/secrets/secret_manager_source';
import type { ProviderModels } from '../shared/domain/estimate';
import type { ResiliencePolicy } from '../shared/domain/resilience/provider_session';
import type { BrandKitStore } from '../shared/ports/brand_kits';
import type { BreakerStore } from '../shared/ports/breakers';
import type { ReviewProxyMaker } from '../shared/ports/media';
import type { ProviderSet } from '../shared/ports/providers';
import type { TenantBudgets } from '../shared/ports/tenant_budgets';
import { MOUNTED_SECRETS, type ProvidersConfig, type SecretRef, type VideoPolling } from '../shared/providers_config';
import { CAPABILITIES } from '../shared/schemas/providers';

/** What the stages need for generative work: the providers (null = offline) and what their calls rely on. */
export interface GenerativeRuntime {
  providers: ProviderSet;
  /** The model of each capability on a provider, for estimates and backend choice. */
  models: ProviderModels;
  breakers: BreakerStore;
  budgets: TenantBudgets;
  brandKits: BrandKitStore;
  resilience: ResiliencePolicy;
  videoPolling: VideoPolling;
  reviewProxy: ReviewProxyMaker;
  close(): Promise<void>;
}

export interface GenerativeDeps {
  firestore: Firestore;
  ffmpegPath: string;
  /** Vertex AI credentials to use instead of a service-account key or the function's identity (tests preset a token). */
  vertexAuth?: GenaiConnection['vertexAuth'];
}

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** The service-account key as JSON; a parse error would quote the value, so it is replaced by one that does not. */
function parseKey(value: string): Record<string, unknown> {
  try {
    return JSON.parse(value) as Record<string, unknown>;
  } catch {
    throw new Error(`the secret ${MOUNTED_SECRETS.serviceAccountKey} is not a service-account key (not JSON)`);
  }
}

/**
 * Builds the providers the configuration asks for. Secrets are read here, once per instance: from the variable
 * Cloud Functions mounted them into, or from Secret Manager by name; either way they are registered for redaction
 * before any request is made.
 */
export async function buildGenerativeRuntime(config: ProvidersConfig, deps: GenerativeDeps): Promise<GenerativeRuntime> {
  const onGenai = (capability: keyof ProviderSet) => config.capabilities[capability] === 'genai';
  let secretManager: SecretManagerServiceClient | null = null;
  const readSecret = async (ref: SecretRef | null): Promise<string | null> => {
    if (ref === null) return null;
    if ('env' in ref) return new EnvSecretSource().get(ref.env);
    secretManager ??= new SecretManagerServiceClient();
    return new SecretManagerSource(secretManager, config.project).get(ref.secretManager);
  };
  const providers: ProviderSet = { creative: null, image: null, video: null, voice: null, judge: null };
  if (CAPABILITIES.some(onGenai)) {
    const [apiKey, serviceAccountKey, sdk] = await Promise.all([readSecret(config.apiKey), readSecret(config.serviceAccountKey), loadGenaiSdk()]);
    const vertexAuth = deps.vertexAuth ?? (serviceAccountKey === null ? { scopes: [CLOUD_PLATFORM_SCOPE] } : { credentials: parseKey(serviceAccountKey), scopes: [CLOUD_PLATFORM_SCOPE] });
    const connection: GenaiConnection = { apiKey, project: config.project, location: config.location, vertexAuth };
    const gemini = geminiClient(sdk, connection);
    const vertex = vertexClient(sdk, connection);
    if (onGenai('creative')) providers.creative = new GeminiCreativeDirector(gemini, config.models.creative);
    if (onGenai('image')) providers.image = new ImagenGenerator(vertex, config.models.image);
    if (onGenai('video')) providers.video = new VeoGenerator(sdk, vertex, config.models.video);
    if (onGenai('voice')) providers.voice = new GeminiVoice(gemini, config.models.voice, config.voiceName, deps.ffmpegPath);
    if (onGenai('judge')) providers.judge = new GeminiVideoJudge(gemini, config.models.judge);
  }
  const models: ProviderModels = Object.fromEntries(CAPABILITIES.filter(onGenai).map((capability) => [capability, config.models[capability]]));
  return {
    providers,
    models,
    breakers: new FirestoreBreakerStore(deps.firestore),
    budgets: new FirestoreTenantBudgets(deps.firestore),
    brandKits: new FirestoreBrandKits(deps.firestore),
    resilience: config.resilience,
    videoPolling: config.videoPolling,
    reviewProxy: new FfmpegReviewProxy(deps.ffmpegPath),
    close: async () => {
      await (secretManager as SecretManagerServiceClient | null)?.close();
    },
  };
}
