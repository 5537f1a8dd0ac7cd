import { geminiClient, loadGenaiSdk, vertexClient, type GenaiSdk } from '../../shared/adapters/genai/genai_clients';
import { FAKE_CREDENTIALS, presetVertexAuth, startFakeGenai } from './fake_genai';

/**
 * The fake genai server and real SDK clients pointed at it the way deployments point them: through the SDK's own
 * base-URL variables. Call from a `before` hook; `stop` from `after`.
 */
export async function startGenaiKit() {
  const { fake, stop } = await startFakeGenai();
  const sdk: GenaiSdk = await loadGenaiSdk();
  const connection = { apiKey: FAKE_CREDENTIALS.apiKey, project: 'aiprod-test', location: 'us-central1', vertexAuth: presetVertexAuth(FAKE_CREDENTIALS.bearerToken) };
  return {
    fake,
    sdk,
    connection,
    gemini: () => geminiClient(sdk, connection),
    vertex: () => vertexClient(sdk, connection),
    stop,
  };
}
