import { expect } from 'chai';
import { ConfigError } from '../../shared/config';
import { DEFAULT_MODELS, loadProvidersConfig } from '../../shared/providers_config';

describe('providers configuration', () => {
  it('is offline for every capability unless told otherwise', () => {
    const config = loadProvidersConfig({});
    expect(Object.values(config.capabilities).every((choice) => choice === 'local')).to.equal(true);
    expect(config.models).to.deep.equal(DEFAULT_MODELS);
    expect(config.apiKey).to.equal(null);
  });

  it('switches everything to genai with overrides per capability, and reads secrets by reference only', () => {
    const config = loadProvidersConfig({
      GOOGLE_CLOUD_PROJECT: 'p',
      AIPROD_PROVIDERS: 'genai',
      AIPROD_PROVIDER_VIDEO: 'local',
      AIPROD_MODEL_IMAGE: 'imagen-4.0-fast-generate-001',
      AIPROD_GENAI_API_KEY_SECRET: 'projects/p/secrets/gemini-key',
      GOOGLE_CLOUD_LOCATION: 'europe-west4',
    });
    expect(config.capabilities).to.deep.equal({ creative: 'genai', image: 'genai', video: 'local', voice: 'genai', judge: 'genai' });
    expect(config.models.image).to.equal('imagen-4.0-fast-generate-001');
    expect(config.apiKey).to.deep.equal({ secretManager: 'projects/p/secrets/gemini-key' });
    expect(config.location).to.equal('europe-west4');
    expect(loadProvidersConfig({ GOOGLE_CLOUD_PROJECT: 'p', AIPROD_PROVIDERS: 'genai', AIPROD_GENAI_API_KEY: 'k' }).apiKey).to.deep.equal({ env: 'AIPROD_GENAI_API_KEY' });
  });

  it('refuses a model without a price, an unknown choice, and genai without a project', () => {
    expect(() => loadProvidersConfig({ GOOGLE_CLOUD_PROJECT: 'p', AIPROD_PROVIDER_IMAGE: 'genai', AIPROD_MODEL_IMAGE: 'imagen-9' })).to.throw(ConfigError, /AIPROD_MODEL_IMAGE: no price for imagen-9\/image/);
    expect(() => loadProvidersConfig({ AIPROD_PROVIDERS: 'openai' })).to.throw(ConfigError, /local or genai/);
    expect(() => loadProvidersConfig({ AIPROD_PROVIDERS: 'genai' })).to.throw(ConfigError, /GOOGLE_CLOUD_PROJECT/);
    expect(() => loadProvidersConfig({ AIPROD_RETRY_MAX_ATTEMPTS: '-1' })).to.throw(ConfigError, /positive/);
  });
});
