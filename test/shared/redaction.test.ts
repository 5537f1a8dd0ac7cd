import { expect } from 'chai';
import { redact, registerSecret } from '../../shared/redaction';

describe('redaction', () => {
  it('blanks a registered secret wherever it appears, also JSON-escaped', () => {
    const key = { type: 'service_account', private_key: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n', private_key_id: 'abcdef0123456789' };
    registerSecret(JSON.stringify(key));
    expect(redact(`pk ${key.private_key}`)).to.equal('pk [redacted]');
    expect(redact(JSON.stringify({ message: key.private_key }))).to.equal('{"message":"[redacted]"}');
    expect(redact('id abcdef0123456789 used')).to.equal('id [redacted] used');
  });

  it('leaves short values alone, so ordinary words are never blanked', () => {
    registerSecret('abc');
    expect(redact('abc def')).to.equal('abc def');
  });
});
