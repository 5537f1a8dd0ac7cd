import { expect } from 'chai';
import { Firestore } from '@google-cloud/firestore';
import { buildGenerativeRuntime } from '../../functions/generative_runtime';
import { loadProvidersConfig } from '../../shared/providers_config';
import { redact } from '../../shared/redaction';
import { rejectionOf } from '../support/rejection';

describe('buildGenerativeRuntime', () => {
  const firestore = new Firestore({ projectId: 'aiprod-test' });
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of ['AIPROD_GENAI_API_KEY', 'AIPROD_GENAI_SERVICE_ACCOUNT_KEY']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });
  after(() => firestore.terminate());

  it('builds no provider (and reads no secret) when everything is offline', async () => {
    const runtime = await buildGenerativeRuntime(loadProvidersConfig({}), { firestore, ffmpegPath: 'ffmpeg' });
    expect(runtime.providers).to.deep.equal({ creative: null, image: null, video: null, voice: null, judge: null });
    expect(runtime.models).to.deep.equal({});
  });

  it('builds the configured providers, reading the mounted key and registering it for redaction', async () => {
    process.env.AIPROD_GENAI_API_KEY = 'AIza-mounted-key-for-this-test-123';
    const config = loadProvidersConfig({ GOOGLE_CLOUD_PROJECT: 'p', AIPROD_PROVIDERS: 'genai', AIPROD_PROVIDER_VIDEO: 'local', AIPROD_GENAI_API_KEY: 'set' });
    const runtime = await buildGenerativeRuntime(config, { firestore, ffmpegPath: 'ffmpeg' });
    expect(runtime.providers.creative?.name).to.equal('gemini-2.5-flash');
    expect(runtime.providers.image?.name).to.equal('imagen-4.0-generate-001');
    expect(runtime.providers.video).to.equal(null);
    expect(runtime.providers.voice?.name).to.equal('gemini-2.5-flash-preview-tts:Kore');
    expect(runtime.models).to.deep.equal({ creative: 'gemini-2.5-flash', image: 'imagen-4.0-generate-001', voice: 'gemini-2.5-flash-preview-tts', judge: 'gemini-2.5-flash' });
    expect(redact('x AIza-mounted-key-for-this-test-123 y')).to.equal('x [redacted] y');
  });

  it('refuses a service-account key that is not JSON without quoting it', async () => {
    process.env.AIPROD_GENAI_SERVICE_ACCOUNT_KEY = 'not-json-but-secret-material-42';
    const config = loadProvidersConfig({ GOOGLE_CLOUD_PROJECT: 'p', AIPROD_PROVIDER_IMAGE: 'genai', AIPROD_GENAI_SERVICE_ACCOUNT_KEY: 'set' });
    const error = await rejectionOf(buildGenerativeRuntime(config, { firestore, ffmpegPath: 'ffmpeg' }));
    expect(error.message).to.equal('the secret AIPROD_GENAI_SERVICE_ACCOUNT_KEY is not a service-account key (not JSON)');
    expect(error.message).to.not.include('secret-material');
  });
});
