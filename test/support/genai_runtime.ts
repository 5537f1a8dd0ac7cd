import { Firestore } from '@google-cloud/firestore';
import { buildGenerativeRuntime, type GenerativeRuntime } from '../../functions/generative_runtime';
import type { Runtime } from '../../functions/runtime';
import { locateFfmpeg } from '../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { loadProvidersConfig } from '../../shared/providers_config';
import { FAKE_CREDENTIALS, presetVertexAuth } from './fake_genai';
import { RecordingEventBus } from './recording_event_bus';

/**
 * The generative part of a runtime as a deployment builds it with AIPROD_PROVIDERS=genai (plus `env`), its
 * clients pointed at the fake genai server through the SDK's base-URL variables, with retries quick enough for
 * tests. Each call builds new clients, as a new function instance would.
 */
export async function genaiRuntime(projectId: string, env: NodeJS.ProcessEnv = {}): Promise<GenerativeRuntime & { firestore: Firestore }> {
  const config = loadProvidersConfig({
    GOOGLE_CLOUD_PROJECT: projectId,
    AIPROD_PROVIDERS: 'genai',
    AIPROD_GENAI_API_KEY: FAKE_CREDENTIALS.apiKey,
    AIPROD_RETRY_BASE_DELAY_MS: '20',
    AIPROD_RETRY_MAX_DELAY_MS: '200',
    AIPROD_BREAKER_COOLDOWN_SEC: '600',
    AIPROD_VEO_POLL_WAIT_SEC: '1',
    AIPROD_VEO_POLL_INTERVAL_SEC: '0.25',
    ...env,
  });
  // The mounted secret is read from the process environment, as Cloud Functions provides it.
  process.env.AIPROD_GENAI_API_KEY = FAKE_CREDENTIALS.apiKey;
  const firestore = new Firestore({ projectId, ignoreUndefinedProperties: true });
  const generative = await buildGenerativeRuntime(config, { firestore, ffmpegPath: (await locateFfmpeg()).ffmpeg, vertexAuth: presetVertexAuth(FAKE_CREDENTIALS.bearerToken) });
  return {
    ...generative,
    firestore,
    close: async () => {
      await generative.close();
      await firestore.terminate();
    },
  };
}

/**
 * A runtime as a fresh function instance with generative providers builds it: the shared platform's stores, new
 * genai clients (closed by the caller through `generative.close`), and a bus that records instead of sending.
 */
export async function genaiInstance(platform: { runtime: Runtime; projectId: string }, env: NodeJS.ProcessEnv = {}): Promise<Runtime & { bus: RecordingEventBus }> {
  const generative = await genaiRuntime(platform.projectId, env);
  const bus = new RecordingEventBus();
  return { ...platform.runtime, generative, events: bus, bus };
}
