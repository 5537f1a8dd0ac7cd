import { expect } from 'chai';
import { SECURITY_HEADERS } from '../../../functions/api/security_headers';
import { ApiClient } from '../../support/api_client';
import { shortBrief } from '../../support/fixtures';
import { adminClient, makeApiKey } from '../../support/principals';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';

describe('API protections', () => {
  let platform: TestPlatform;
  let admin: ApiClient;

  before(async () => {
    platform = await testPlatform();
    admin = adminClient(platform);
  });

  it('sends the security headers on success, on errors and on bodies it could not parse', async () => {
    const answers = [
      await admin.get('/v1/health'),
      await admin.get('/v1/jobs/nothing'),
      await admin.call('/v1/jobs', { method: 'POST', raw: '{"broken' }),
    ];
    for (const answer of answers) {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(answer.headers.get(name), name).to.equal(value);
      expect(answer.headers.get('x-powered-by')).to.equal(null);
      expect(answer.headers.get('x-request-id')).to.be.a('string');
    }
    expect(answers[2].status).to.equal(400);
    expect(answers[2].body.error.code).to.equal('invalid_json');
  });

  it('echoes a well-formed request id and replaces one that is not', async () => {
    const kept = await admin.get('/v1/health', { headers: { 'x-request-id': 'trace-123' } });
    expect(kept.headers.get('x-request-id')).to.equal('trace-123');
    const replaced = await admin.get('/v1/jobs/nothing', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
    expect(replaced.body.error.requestId).to.equal(replaced.headers.get('x-request-id'));
  });

  describe('CORS', () => {
    const allowed = 'https://app.aiprod.test';

    it('answers a preflight from an allowed origin with the methods and headers the API takes', async () => {
      const answer = await admin.call('/v1/jobs', { method: 'OPTIONS', headers: { origin: allowed, 'access-control-request-method': 'POST' } });
      expect(answer.status).to.equal(204);
      expect(answer.headers.get('access-control-allow-origin')).to.equal(allowed);
      expect(answer.headers.get('access-control-allow-methods')).to.contain('PATCH');
      expect(answer.headers.get('access-control-allow-headers')).to.contain('X-API-Key');
      expect(answer.headers.get('vary')).to.contain('Origin');
    });

    it('gives an allowed origin the CORS headers and any other origin none', async () => {
      const ok = await admin.get('/v1/presets', { headers: { origin: allowed } });
      expect(ok.headers.get('access-control-allow-origin')).to.equal(allowed);
      const other = await admin.get('/v1/presets', { headers: { origin: 'https://evil.example' } });
      expect(other.status).to.equal(200);
      expect(other.headers.get('access-control-allow-origin')).to.equal(null);
      const preflight = await admin.call('/v1/jobs', { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
      expect(preflight.status).to.equal(403);
      expect(preflight.body.error.code).to.equal('cors_origin_refused');
    });
  });

  describe('rate limits', () => {
    const limits = () => platform.runtime.config.api;
    let saved: { rateLimitPerPrincipal: number; rateLimitPerIp: number };
    beforeEach(async () => {
      saved = { ...limits() };
      // Counters are per minute: start well inside a window, so no count is cut in two.
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
    });
    afterEach(() => Object.assign(limits(), saved));

    it('refuses a caller past its limit with 429 and Retry-After, while another caller goes on', async () => {
      Object.assign(limits(), { rateLimitPerPrincipal: 5 });
      const busy = admin.as({ apiKey: await makeApiKey(platform, platform.tenant, 'viewer') });
      const calm = admin.as({ apiKey: await makeApiKey(platform, platform.tenant, 'viewer') });
      const statuses = [];
      for (let i = 0; i < 7; i++) statuses.push((await busy.get('/v1/presets')).status);
      expect(statuses.slice(0, 5)).to.deep.equal([200, 200, 200, 200, 200]);
      const refused = await busy.get('/v1/presets');
      expect(refused.status).to.equal(429);
      expect(refused.body.error.code).to.equal('rate_limited');
      expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 60);
      expect((await calm.get('/v1/presets')).status).to.equal(200);
    });

    it('never lets concurrent requests past the limit, whichever instance counts them', async () => {
      Object.assign(limits(), { rateLimitPerPrincipal: 10 });
      const caller = admin.as({ apiKey: await makeApiKey(platform, platform.tenant, 'viewer') });
      const statuses = (await Promise.all(Array.from({ length: 30 }, () => caller.get('/v1/presets')))).map((answer) => answer.status);
      expect(statuses.filter((status) => status === 200).length).to.be.within(1, 10);
      expect(statuses.filter((status) => status !== 200).every((status) => status === 429)).to.equal(true);
    });

    it('counts every request from one address, failed sign-ins included', async () => {
      Object.assign(limits(), { rateLimitPerIp: 4 });
      const address = `203.0.113.${Math.floor(Math.random() * 250)}`;
      const headers = { 'x-forwarded-for': `198.51.100.7, ${address}` };
      const guesser = new ApiClient(platform.apiUrl, { apiKey: `aiprod_${'x'.repeat(43)}` });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await guesser.post('/v1/jobs', shortBrief(), { headers })).status);
      expect(statuses).to.deep.equal([401, 401, 401, 401]);
      expect((await admin.get('/v1/presets', { headers })).status).to.equal(429);
      expect((await admin.get('/v1/presets', { headers: { 'x-forwarded-for': '203.0.113.251' } })).status).to.equal(200);
    });
  });
});
