import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { newWebhookSecret, signDelivery, verifyDelivery } from '../../../../shared/domain/webhooks/signature';

describe('webhook signatures', () => {
  const secret = newWebhookSecret();
  const body = '{"id":"evt_1:job.created","type":"job.created"}';
  const now = 1_900_000_000;

  it('signs "<timestamp>.<raw body>" with HMAC-SHA256, as the README tells receivers', () => {
    const expected = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
    expect(signDelivery(secret, now, body)).to.equal(`v1=${expected}`);
  });

  it('makes a new 256-bit secret each time', () => {
    expect(secret).to.match(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.to.equal(secret);
  });

  it('accepts its own signature within five minutes either way', () => {
    const signature = signDelivery(secret, now, body);
    expect(verifyDelivery(secret, { timestamp: String(now), signature, body }, now + 300)).to.deep.equal({ ok: true, timestampSec: now });
    expect(verifyDelivery(secret, { timestamp: String(now), signature, body: Buffer.from(body) }, now - 300).ok).to.equal(true);
  });

  it('refuses an old or future timestamp, even with a valid signature', () => {
    const signature = signDelivery(secret, now, body);
    expect(verifyDelivery(secret, { timestamp: String(now), signature, body }, now + 301)).to.deep.equal({ ok: false, reason: 'timestamp is more than 300 s from now' });
    expect(verifyDelivery(secret, { timestamp: String(now), signature, body }, now - 301).ok).to.equal(false);
  });

  it('refuses a tampered body, a moved timestamp, another secret, and malformed headers', () => {
    const signature = signDelivery(secret, now, body);
    const refused = (request: Parameters<typeof verifyDelivery>[1], key = secret) => verifyDelivery(key, request, now);
    expect(refused({ timestamp: String(now), signature, body: body.replace('created', 'failed') })).to.deep.equal({ ok: false, reason: 'signature does not match' });
    expect(refused({ timestamp: String(now + 1), signature, body }).ok).to.equal(false);
    expect(refused({ timestamp: String(now), signature, body }, newWebhookSecret()).ok).to.equal(false);
    expect(refused({ timestamp: String(now), signature: signature.replace('v1=', 'v0='), body }).ok).to.equal(false);
    expect(refused({ timestamp: String(now), signature: signature.slice(0, -2), body }).ok).to.equal(false);
    expect(refused({ timestamp: String(now), signature: undefined, body }).ok).to.equal(false);
    expect(refused({ timestamp: undefined, signature, body })).to.deep.equal({ ok: false, reason: 'missing or malformed timestamp' });
    expect(refused({ timestamp: `${now}.5`, signature, body }).ok).to.equal(false);
  });
});
