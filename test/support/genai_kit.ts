import { geminiClient, loadGenaiSdk, vertexClient, type GenaiSdk } from '../../shared/adapters/genai/genai_clients';
import { FAKE_CREDENTIALS, FakeGenai, presetVertexAuth } from './fake_genai';

/**
 * The fake genai server and real SDK clients pointed at it the way deployments point them: through the SDK's own
 * base-URL variables. Call from a `before` hook; `stop` from `after`.
 */
export async function startGenaiKit() {
  const fake = new FakeGenai(FAKE_CREDENTIALS);
  await fake.start();
  const saved = { gemini: process.env.GOOGLE_GEMINI_BASE_URL, vertex: process.env.GOOGLE_VERTEX_BASE_URL };
  process.env.GOOGLE_GEMINI_BASE_URL = fake.url;
  process.env.GOOGLE_VERTEX_BASE_URL = fake.url;
  const sdk: GenaiSdk = await loadGenaiSdk();
  const connection = { apiKey: FAKE_CREDENTIALS.apiKey, project: 'aiprod-test', location: 'us-central1', vertexAuth: presetVertexAuth(FAKE_CREDENTIALS.bearerToken) };
  return {
    fake,
    sdk,
    connection,
    gemini: () => geminiClient(sdk, connection),
    vertex: () => vertexClient(sdk, connection),
    async stop() {
      await fake.stop();
      for (const [name, value] of [['GOOGLE_GEMINI_BASE_URL', saved.gemini], ['GOOGLE_VERTEX_BASE_URL', saved.vertex]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
}
