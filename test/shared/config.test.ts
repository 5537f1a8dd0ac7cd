import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../shared/config';

describe('configuration', () => {
  it('defaults to local mode on the emulators', () => {
    const config = loadConfig({ FIRESTORE_EMULATOR_HOST: '127.0.0.1:1', PUBSUB_EMULATOR_HOST: '127.0.0.1:2' });
    expect(config).to.include({ mode: 'local', projectId: 'aiprod-local', tenant: 'local' });
  });

  it('refuses local mode without emulators, so it never reaches real services', () => {
    expect(() => loadConfig({})).to.throw(ConfigError, 'firestoreEmulatorHost');
  });

  it('refuses GCP mode while any emulator setting is present', () => {
    const env = { AIPROD_MODE: 'gcp', GOOGLE_CLOUD_PROJECT: 'p', AIPROD_MEDIA_BUCKET: 'b', AIPROD_BACKUP_BUCKET: 'k', FIRESTORE_EMULATOR_HOST: 'x' };
    expect(() => loadConfig(env)).to.throw(ConfigError, 'FIRESTORE_EMULATOR_HOST');
  });

  it('needs a project, a media bucket and a backups bucket in GCP mode', () => {
    expect(() => loadConfig({ AIPROD_MODE: 'gcp' })).to.throw(ConfigError, 'projectId');
    expect(() => loadConfig({ AIPROD_MODE: 'gcp', GOOGLE_CLOUD_PROJECT: 'p', AIPROD_MEDIA_BUCKET: 'b' })).to.throw(ConfigError, 'backupBucket');
    expect(loadConfig({ AIPROD_MODE: 'gcp', GOOGLE_CLOUD_PROJECT: 'p', AIPROD_MEDIA_BUCKET: 'b', AIPROD_BACKUP_BUCKET: 'k' })).to.deep.equal({
      mode: 'gcp',
      projectId: 'p',
      mediaBucket: 'b',
      backupBucket: 'k',
      drScratchDatabase: 'aiprod-dr-scratch',
      api: { corsOrigins: [], rateLimitPerPrincipal: 600, rateLimitPerIp: 1200 },
    });
  });

  it('reads the CORS allow-list and rate limits, and refuses what is not an origin or a positive count', () => {
    const local = { FIRESTORE_EMULATOR_HOST: 'x', PUBSUB_EMULATOR_HOST: 'y' };
    const config = loadConfig({ ...local, AIPROD_CORS_ORIGINS: 'http://localhost:3000, https://app.example.com', AIPROD_RATE_LIMIT_PER_IP: '50' });
    expect(config.api).to.deep.equal({ corsOrigins: ['http://localhost:3000', 'https://app.example.com'], rateLimitPerPrincipal: 600, rateLimitPerIp: 50 });
    expect(() => loadConfig({ ...local, AIPROD_CORS_ORIGINS: 'https://app.example.com/path' })).to.throw(ConfigError, 'api.corsOrigins');
    expect(() => loadConfig({ ...local, AIPROD_RATE_LIMIT_PER_PRINCIPAL: 'lots' })).to.throw(ConfigError, 'api.rateLimitPerPrincipal');
  });

  it('allows only https origins in GCP mode', () => {
    const env = { AIPROD_MODE: 'gcp', GOOGLE_CLOUD_PROJECT: 'p', AIPROD_MEDIA_BUCKET: 'b', AIPROD_BACKUP_BUCKET: 'k', AIPROD_CORS_ORIGINS: 'http://app.example.com' };
    expect(() => loadConfig(env)).to.throw(ConfigError, 'api.corsOrigins');
  });

  it('refuses an unknown mode', () => {
    expect(() => loadConfig({ AIPROD_MODE: 'cloud' })).to.throw(ConfigError);
  });
});
