import { expect } from 'chai';
import { EnvSecretSource } from '../../../../shared/adapters/secrets/env_secret_source';
import { SecretUnavailableError } from '../../../../shared/ports/secrets';
import { redact } from '../../../../shared/redaction';
import { rejectionOf } from '../../../support/rejection';

describe('EnvSecretSource (secrets mounted as environment variables)', () => {
  it('reads the mounted value and registers it for redaction', async () => {
    const source = new EnvSecretSource({ AIPROD_GENAI_API_KEY: ' mounted-secret-value-42 ' });
    expect(await source.get('AIPROD_GENAI_API_KEY')).to.equal('mounted-secret-value-42');
    expect(redact('{"header":"mounted-secret-value-42"}')).to.equal('{"header":"[redacted]"}');
  });

  it('says which variable is missing', async () => {
    const error = await rejectionOf(new EnvSecretSource({}).get('AIPROD_GENAI_API_KEY'));
    expect(error).to.be.instanceOf(SecretUnavailableError);
    expect(error.message).to.equal('secret AIPROD_GENAI_API_KEY is not available: the environment variable is not set');
  });
});
