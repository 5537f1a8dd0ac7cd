import { expect } from 'chai';
import { crc32cOf, SecretManagerSource, secretVersionName } from '../../../../shared/adapters/secrets/secret_manager_source';
import { SecretUnavailableError } from '../../../../shared/ports/secrets';
import { redact } from '../../../../shared/redaction';
import { FakeSecretManager } from '../../../support/fake_secret_manager';
import { rejectionOf } from '../../../support/rejection';

describe('SecretManagerSource with the real client against a local Secret Manager (gRPC, the package protos)', () => {
  const fake = new FakeSecretManager();
  let client: ReturnType<FakeSecretManager['client']>;

  before(async () => {
    await fake.start();
    client = fake.client();
  });
  after(async () => {
    await client.close();
    await fake.stop();
  });

  it('reads the latest version of a secret by its short name, and registers it for redaction', async () => {
    fake.secrets.set('projects/aiprod-test/secrets/genai-api-key/versions/latest', 'AIza-test-key-0123456789\n');
    const value = await new SecretManagerSource(client, 'aiprod-test').get('genai-api-key');
    expect(value).to.equal('AIza-test-key-0123456789');
    expect(fake.accessed.at(-1)).to.equal('projects/aiprod-test/secrets/genai-api-key/versions/latest');
    expect(redact('key=AIza-test-key-0123456789')).to.equal('key=[redacted]');
  });

  it('names the secret, never a value, when it is missing', async () => {
    const error = await rejectionOf(new SecretManagerSource(client, 'aiprod-test').get('projects/other/secrets/nope'));
    expect(error).to.be.instanceOf(SecretUnavailableError);
    expect(error.message).to.match(/^secret projects\/other\/secrets\/nope\/versions\/latest is not available: 5 NOT_FOUND/);
  });

  it('refuses a payload whose checksum does not match', async () => {
    fake.secrets.set('projects/aiprod-test/secrets/damaged/versions/latest', 'some-secret-value-xyz');
    fake.corruptChecksum = true;
    try {
      const error = await rejectionOf(new SecretManagerSource(client, 'aiprod-test').get('damaged'));
      expect(error.message).to.match(/does not match its CRC32C checksum$/);
    } finally {
      fake.corruptChecksum = false;
    }
  });

  it('checks the payload against the standard CRC32C (check value of "123456789" is 0xE3069283)', () => {
    expect(crc32cOf(Buffer.from('123456789'))).to.equal(0xe3069283);
  });

  it('resolves short names, secret names and version names', () => {
    expect(secretVersionName('k', 'p')).to.equal('projects/p/secrets/k/versions/latest');
    expect(secretVersionName('projects/q/secrets/k', 'p')).to.equal('projects/q/secrets/k/versions/latest');
    expect(secretVersionName('projects/q/secrets/k/versions/3', 'p')).to.equal('projects/q/secrets/k/versions/3');
  });
});
