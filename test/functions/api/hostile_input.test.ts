import { expect } from 'chai';
import { Firestore } from '@google-cloud/firestore';
import { validateBrief } from '../../../shared/domain/brief_validation';
import { planOffline } from '../../../shared/domain/planning/offline_planner';
import type { ApiCall, ApiClient } from '../../support/api_client';
import { shortBrief } from '../../support/fixtures';
import { jobInState } from '../../support/job_fixtures';
import { adminClient } from '../../support/principals';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';
import { deleteAllWebhooks, storedWebhook } from '../../support/webhook_fixtures';

/** Collections a request could write to; none may change while the hostile suite runs. */
const COLLECTIONS = ['jobs', 'batches', 'api_keys', 'audit_log', 'webhooks', 'webhook_secrets', 'webhook_deliveries', 'tenants', 'budget_reports'];

interface HostileCase {
  name: string;
  /** A path, or how to find it once the fixtures exist. */
  path: string | (() => string);
  call: ApiCall;
  /** Without credentials (or with the given ones only). */
  anonymous?: boolean;
}

const brief = shortBrief();
/** The scenes of the storyboard jobInState gives a waiting job (the offline planner's plan of its brief). */
const FIXTURE_SCENES = (() => {
  const validation = validateBrief(shortBrief({ preset: 'brand_campaign' }));
  if (!validation.ok) throw new Error('fixture brief is invalid');
  return planOffline(validation.brief).scenes;
})();
const withBrief = (patch: Record<string, unknown>) => ({ ...brief, ...patch });
const withBrand = (patch: Record<string, unknown>) => ({ ...brief, brand: { ...brief.brand, ...patch } });

function briefCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  const post = (name: string, body: unknown) => cases.push({ name, path: '/v1/jobs', call: { method: 'POST', body } });
  // Wrong types for every field.
  const wrongValues: unknown[] = [null, 42, -1, 1.5, true, 'text', [], {}, ['a'], { a: 1 }];
  for (const field of ['brand', 'product', 'audience', 'keyMessages', 'callToAction', 'durationSec', 'aspectRatios', 'preset', 'approval', 'tone', 'proofPoint']) {
    const current = (brief as Record<string, unknown>)[field];
    for (const value of wrongValues) {
      if (JSON.stringify(value) === JSON.stringify(current)) continue;
      if (field === 'durationSec' && typeof value === 'number' && Number.isInteger(value) && value >= 6 && value <= 30) continue;
      if (field === 'approval' && typeof value === 'boolean') continue;
      if (field === 'keyMessages' && JSON.stringify(value) === '["a"]') continue;
      if (['product', 'audience', 'callToAction', 'tone', 'proofPoint'].includes(field) && value === 'text') continue;
      post(`${field} = ${JSON.stringify(value)}`, withBrief({ [field]: value }));
    }
  }
  // Unicode edge cases in visible text.
  const texts: Array<[string, string]> = [
    ['a NUL byte', 'Lumen\u0000Coffee'],
    ['a bell character', 'Lumen\u0007'],
    ['an escape sequence', '\u001b[31mred'],
    ['a right-to-left override', 'Lumen\u202Eeeffoc'],
    ['a left-to-right isolate', '\u2066Lumen'],
    ['a lone high surrogate', 'Lumen\ud800'],
    ['a lone low surrogate', '\udc00Coffee'],
    ['only white space', ' \t\n '],
    ['only zero characters', ''],
    ['61 characters', 'x'.repeat(61)],
    ['zalgo over the limit', `L${'\u0301'.repeat(80)}`],
    ['a DEL character', 'Lumen\u007f'],
  ];
  for (const [name, text] of texts) post(`brand name with ${name}`, withBrand({ name: text }));
  for (const [name, text] of texts.slice(0, 7)) post(`call to action with ${name}`, withBrief({ callToAction: text }));
  // Prototype-pollution and constructor keys, at the top and nested.
  for (const key of ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty']) {
    cases.push({ name: `top-level ${key} key`, path: '/v1/jobs', call: { method: 'POST', raw: JSON.stringify(brief).replace(/^\{/, `{"${key}":{"polluted":true},`) } });
    cases.push({ name: `nested ${key} key in brand`, path: '/v1/jobs', call: { method: 'POST', raw: JSON.stringify(brief).replace('"brand":{', `"brand":{"${key}":{"polluted":true},`) } });
  }
  // Injection strings where a value must be one of a few.
  for (const injection of ["quick_social'; DROP TABLE jobs; --", '{"$gt": ""}', '<script>alert(1)</script>', '${7*7}', '../../etc/passwd', 'quick_social\r\nX-Injected: 1']) {
    post(`preset ${injection}`, withBrief({ preset: injection }));
    post(`aspect ratio ${injection}`, withBrief({ aspectRatios: [injection] }));
    post(`colour ${injection}`, withBrand({ colors: { primary: injection, secondary: '#000000', accent: '#FFFFFF' } }));
  }
  // Sizes and shapes.
  post('six key messages', withBrief({ keyMessages: ['a', 'b', 'c', 'd', 'e', 'f'] }));
  post('100 000 key messages', withBrief({ keyMessages: Array.from({ length: 100_000 }, (_, i) => `m${i}`) }));
  post('a repeated aspect ratio', withBrief({ aspectRatios: ['9:16', '9:16'] }));
  post('a duration past the preset', withBrief({ durationSec: 60 }));
  post('duration as a huge number', withBrief({ durationSec: 1e308 }));
  cases.push({ name: 'duration beyond double range', path: '/v1/jobs', call: { method: 'POST', raw: JSON.stringify(brief).replace('"durationSec":6', '"durationSec":1e400') } });
  post('an empty object', {});
  post('an unknown field', withBrief({ tenant: 'rival-agency' }));
  post('a createdBy field', withBrief({ createdBy: { kind: 'user', id: 'x', tenant: 'rival-agency', role: 'admin' } }));
  return cases;
}

function bodyCases(): HostileCase[] {
  const raw = (name: string, text: string | Buffer, contentType = 'application/json'): HostileCase => ({ name, path: '/v1/jobs', call: { method: 'POST', raw: text, contentType } });
  const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const deepObject = (depth: number) => `{"brand":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
  return [
    raw('an unclosed object', '{"brand": '),
    raw('a bare word', 'hello'),
    raw('null', 'null'),
    raw('an array', '[1,2]'),
    raw('a string', '"brief"'),
    raw('a number', '42'),
    raw('true', 'true'),
    raw('a trailing comma', '{"product": "x",}'),
    raw('single quotes', "{'product': 'x'}"),
    raw('NaN', '{"durationSec": NaN}'),
    raw('Infinity', '{"durationSec": Infinity}'),
    raw('a comment', '{/* hi */"product": "x"}'),
    raw('a raw control character in a string', '{"product": "a\u0001b"}'),
    raw('a bad escape', '{"product": "\\x41"}'),
    raw('two objects', '{}{}'),
    raw('invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])),
    raw('JSON arrays nested 100 000 deep', deep(100_000)),
    raw('objects nested 5 000 deep', deepObject(5_000)),
    raw('objects nested 40 deep', deepObject(40)),
    raw('3 MB of JSON', JSON.stringify(withBrief({ audience: 'a'.repeat(3 * 1024 * 1024) }))),
    raw('20 MB declared', Buffer.alloc(20 * 1024 * 1024, 0x20)),
    raw('plain text', 'brand=Lumen', 'text/plain'),
    raw('a form', 'brand=Lumen&product=x', 'application/x-www-form-urlencoded'),
    raw('multipart', '--x\r\ncontent-disposition: form-data; name="a"\r\n\r\n1\r\n--x--', 'multipart/form-data; boundary=x'),
    raw('XML', '<brief><brand>Lumen</brand></brief>', 'application/xml'),
    raw('JSON in an unknown charset', JSON.stringify(brief), 'application/json; charset=klingon'),
    raw('no content type', JSON.stringify(brief), ''),
    { name: 'gzip claimed but not sent', path: '/v1/jobs', call: { method: 'POST', raw: JSON.stringify(brief), headers: { 'content-encoding': 'gzip' } } },
    { name: 'an unknown content encoding', path: '/v1/jobs', call: { method: 'POST', raw: JSON.stringify(brief), headers: { 'content-encoding': 'zstd-fancy' } } },
  ];
}

function credentialCases(): HostileCase[] {
  const key = (name: string, value: string): HostileCase => ({ name: `API key ${name}`, path: '/v1/jobs', anonymous: true, call: { method: 'POST', body: brief, headers: { 'x-api-key': value } } });
  const bearer = (name: string, value: string): HostileCase => ({ name: `Authorization ${name}`, path: '/v1/jobs', anonymous: true, call: { method: 'POST', body: brief, headers: { authorization: value } } });
  const unsigned = (claims: Record<string, unknown>) =>
    `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: 'https://securetoken.google.com/aiprod-local', aud: 'aiprod-local', sub: 'nobody-at-all', iat: now, exp: now + 3600, auth_time: now, tenant: 'local', role: 'admin' };
  return [
    key('empty', ''),
    key('too short', 'abc'),
    key('with SQL', "' OR '1'='1' --"),
    key('made up', `aiprod_${'A'.repeat(43)}`),
    key('of 4 KB', 'a'.repeat(4096)),
    key('with NoSQL operators', '{"$ne": null}'),
    key('with a path', '../../api_keys/key_0'),
    key('of a revoked form', 'key_000000000000000000000000'),
    bearer('empty bearer', 'Bearer '),
    bearer('basic auth', 'Basic YWRtaW46YWRtaW4='),
    bearer('a random string', 'Bearer not-a-token'),
    bearer('a JWT with a broken payload', 'Bearer eyJhbGciOiJub25lIn0.@@@.'),
    bearer('an unsigned token for a user who does not exist', `Bearer ${unsigned(claims)}`),
    bearer('an expired token', `Bearer ${unsigned({ ...claims, iat: now - 7200, exp: now - 3600 })}`),
    bearer('a token for another project', `Bearer ${unsigned({ ...claims, aud: 'someone-else', iss: 'https://securetoken.google.com/someone-else' })}`),
    bearer('a token without a subject', `Bearer ${unsigned({ ...claims, sub: '' })}`),
    { name: 'both an API key and a token', path: '/v1/jobs', anonymous: true, call: { method: 'POST', body: brief, headers: { 'x-api-key': 'a'.repeat(30), authorization: 'Bearer x' } } },
    { name: 'no credential at all', path: '/v1/jobs', anonymous: true, call: { method: 'POST', body: brief } },
  ];
}

function pathAndQueryCases(): HostileCase[] {
  const get = (name: string, path: string): HostileCase => ({ name, path, call: { method: 'GET' } });
  const paths = [
    '/v1/jobs/..%2F..%2Fetc%2Fpasswd',
    '/v1/jobs/%2e%2e',
    '/v1/jobs/job_%00',
    '/v1/jobs/%E0%A4%A',
    '/v1/jobs/job_00000000000000000000000000000000%27%20OR%201%3D1',
    `/v1/jobs/job_${'a'.repeat(2000)}`,
    '/v1/jobs/JOB_0123456789ABCDEF0123456789ABCDEF',
    '/v1/jobs/%F0%9F%92%A3',
    '/v1/batches/batch_x',
    '/v1/presets/__proto__',
    '/v1/presets/constructor',
    '/v1/api-keys/key_%2e%2e',
    '/v1/members/..%2Fadmin',
    '/v1/members/%24%7Bjndi%3Aldap%3A%2F%2Fx%7D',
    '/v1//jobs',
    '/v1/jobs/job_0123456789abcdef0123456789abcdef/unknown',
    '/v1/JOBS',
    '/v1/openapi.yaml',
    '/.env',
  ];
  const queries = [
    '?limit=0',
    '?limit=-5',
    '?limit=1e9',
    '?limit=abc',
    '?limit=10&limit=20',
    '?cursor=../../etc',
    '?cursor=job_1&cursor=job_2',
    '?unknown=1',
    '?__proto__[polluted]=1',
    '?constructor[prototype][polluted]=1',
    `?filter=${encodeURIComponent("state:=:RENDERING' OR '1'='1")}`,
    `?filter=${encodeURIComponent('state:in:')}`,
    `?filter=${encodeURIComponent(`state:in:${Array(40).fill('ERROR').join(',')}`)}`,
    `?${Array.from({ length: 11 }, () => `filter=${encodeURIComponent('costUsd:>=:0')}`).join('&')}`,
    `?filter=${encodeURIComponent('costUsd:>:-1')}`,
    `?filter=${encodeURIComponent('costUsd:>:1e999')}`,
    `?filter=${encodeURIComponent('createdAt:>:2026-13-45T99:99:99Z')}`,
    `?filter=${encodeURIComponent('tenant:=:rival-agency')}`,
    `?filter=${encodeURIComponent('__proto__:=:x')}`,
    `?filter=${encodeURIComponent('state:$ne:null')}`,
  ];
  return [
    ...paths.map((path) => get(`path ${path.slice(0, 60)}`, path)),
    ...queries.map((query) => get(`list query ${query.slice(0, 60)}`, `/v1/jobs${query}`)),
    get('export in an unknown format', '/v1/exports/jobs?format=xlsx'),
    get('audit with a bad cursor', '/v1/audit?cursor=nope'),
    get('audit with an injected action', `/v1/audit?action=${encodeURIComponent("job.created' OR 1=1")}`),
    get('presets with a query', '/v1/presets?debug=1'),
    get('health with a query', '/v1/health?verbose=true'),
  ];
}

function budgetCases(): HostileCase[] {
  const put = (name: string, body: unknown): HostileCase => ({ name: `a budget of ${name}`, path: '/v1/settings/budget', call: { method: 'PUT', body } });
  const raw = (name: string, text: string): HostileCase => ({ name: `a budget of ${name}`, path: '/v1/settings/budget', call: { method: 'PUT', raw: text } });
  const estimate = (name: string, body: unknown): HostileCase => ({ name: `an estimate of ${name}`, path: '/v1/estimates', call: { method: 'POST', body } });
  return [
    ...([-1, -0.01, 1_000_000.01, 1e308, Number.MAX_SAFE_INTEGER] as const).map((value) => put(String(value), { monthlyUsd: value })),
    ...(['10', 'NaN', 'Infinity', '-Infinity', '1e400', '', 'ten dollars'] as const).map((value) => put(`the string ${JSON.stringify(value)}`, { monthlyUsd: value })),
    put('null', { monthlyUsd: null }),
    put('true', { monthlyUsd: true }),
    put('a list', { monthlyUsd: [10] }),
    put('an object', { monthlyUsd: { usd: 10 } }),
    put('nothing', {}),
    put('10 naming its tenant', { monthlyUsd: 10, tenant: 'rival-agency' }),
    put('10 with spending', { monthlyUsd: 10, spentUsd: 0 }),
    put('10 under another name', { monthly: 10 }),
    raw('1e400 (beyond double range)', '{"monthlyUsd": 1e400}'),
    raw('NaN in JSON', '{"monthlyUsd": NaN}'),
    raw('10 with a __proto__ key', '{"monthlyUsd": 10, "__proto__": {"polluted": true}}'),
    { name: 'a budget sent as a list', path: '/v1/settings/budget', call: { method: 'PUT', raw: '[10]' } },
    { name: 'a budget settings query naming a tenant', path: '/v1/settings/budget?tenant=rival-agency', call: { method: 'GET' } },
    { name: 'a budget deleted', path: '/v1/settings/budget', call: { method: 'DELETE' } },
    estimate('a bare brief', brief),
    estimate('nothing', {}),
    estimate('a null brief', { brief: null }),
    estimate('a brief with a bad duration', { brief: withBrief({ durationSec: -1 }) }),
    estimate('a brief naming its tenant', { brief, tenant: 'rival-agency' }),
    estimate('a brief with backends', { brief, backends: { 0: 'veo' } }),
  ];
}

function actionCases(waitingJob: () => string, deliveredJob: () => string): HostileCase[] {
  const manifest = () => `/v1/jobs/${waitingJob()}/manifest`;
  const patches: Array<[string, unknown]> = [
    ['a locked brand name', { brandName: 'Other Coffee' }],
    ['a locked duration', { durationSec: 120 }],
    ['locked formats', { aspectRatios: ['16:9'] }],
    ['a locked planner', { planner: 'me' }],
    ['a locked version', { version: 2 }],
    ["a scene's locked role", { scenes: [{ index: 0, role: 'proof' }] }],
    ["a scene's locked timing", { scenes: [{ index: 0, startSec: 3 }] }],
    ["a scene's locked palette", { scenes: [{ index: 0, palette: ['#000000', '#FFFFFF'] }] }],
    ['a scene that does not exist', { scenes: [{ index: 99, onScreenText: 'x' }] }],
    ['a negative scene index', { scenes: [{ index: -1, onScreenText: 'x' }] }],
    ['a scene index as text', { scenes: [{ index: '0', onScreenText: 'x' }] }],
    ['a voiceover too long to say', { scenes: [{ index: 0, voiceover: Array(120).fill('word').join(' ') }] }],
    ['a 10 000 character voiceover', { scenes: [{ index: 0, voiceover: 'a'.repeat(10_000) }] }],
    ['on-screen text with a NUL', { scenes: [{ index: 0, onScreenText: 'a\u0000b' }] }],
    ['an empty title', { title: '   ' }],
    ['1 000 scene edits', { scenes: Array.from({ length: 1000 }, () => ({ index: 0, onScreenText: 'x' })) }],
    ['an unknown field', { mood: 'happy' }],
    ['a __proto__ key', JSON.parse('{"__proto__": {"title": "x"}}')],
    ['an edit that removes the brand', { scenes: FIXTURE_SCENES.map((scene) => ({ index: scene.index, onScreenText: scene.onScreenText.replaceAll('Lumen Coffee', 'it'), voiceover: scene.voiceover.replaceAll('Lumen Coffee', 'it') })) }],
  ];
  return [
    ...patches.map(([name, body]): HostileCase => ({ name: `storyboard edit with ${name}`, path: manifest, call: { method: 'PATCH', body } })),
    { name: 'storyboard edit with a stale If-Match', path: manifest, call: { method: 'PATCH', body: { title: 'New' }, headers: { 'if-match': '"stale"' } } },
    { name: 'storyboard edit of a delivered job', path: () => `/v1/jobs/${deliveredJob()}/manifest`, call: { method: 'PATCH', body: { title: 'New' } } },
    { name: 'approval with a 1 000-character comment', path: () => `/v1/jobs/${waitingJob()}/approve`, call: { method: 'POST', body: { comment: 'a'.repeat(1000) } } },
    { name: 'approval with an unknown field', path: () => `/v1/jobs/${waitingJob()}/approve`, call: { method: 'POST', body: { approved: true } } },
    { name: 'approval of a delivered job', path: () => `/v1/jobs/${deliveredJob()}/approve`, call: { method: 'POST' } },
    { name: 'rejection with a comment of the wrong type', path: () => `/v1/jobs/${waitingJob()}/reject`, call: { method: 'POST', body: { comment: 42 } } },
    { name: 'cancel with a body', path: () => `/v1/jobs/${waitingJob()}/cancel`, call: { method: 'POST', body: { force: true } } },
    { name: 'cancel of a delivered job', path: () => `/v1/jobs/${deliveredJob()}/cancel`, call: { method: 'POST' } },
    { name: 'erase of a job still waiting', path: () => `/v1/jobs/${waitingJob()}`, call: { method: 'DELETE' } },
    { name: 'export of a job not delivered', path: () => `/v1/jobs/${waitingJob()}/export`, call: { method: 'GET' } },
    { name: 'a batch that is not a list', path: '/v1/jobs:batch', call: { method: 'POST', body: { briefs: brief } } },
    { name: 'an empty batch', path: '/v1/jobs:batch', call: { method: 'POST', body: { briefs: [] } } },
    { name: 'a batch of 51', path: '/v1/jobs:batch', call: { method: 'POST', body: { briefs: Array(51).fill(brief) } } },
    { name: 'a batch with one bad brief', path: '/v1/jobs:batch', call: { method: 'POST', body: { briefs: [brief, { ...brief, durationSec: -1 }] } } },
    { name: 'a batch naming its tenant', path: '/v1/jobs:batch', call: { method: 'POST', body: { briefs: [brief], tenant: 'rival-agency' } } },
    { name: 'an API key with an unknown role', path: '/v1/api-keys', call: { method: 'POST', body: { name: 'x', role: 'superadmin' } } },
    { name: 'an API key for another tenant', path: '/v1/api-keys', call: { method: 'POST', body: { name: 'x', role: 'admin', tenant: 'rival-agency' } } },
    { name: 'an API key with a 1 000-character name', path: '/v1/api-keys', call: { method: 'POST', body: { name: 'n'.repeat(1000), role: 'viewer' } } },
    { name: 'an API key without a name', path: '/v1/api-keys', call: { method: 'POST', body: { role: 'viewer' } } },
    { name: 'an API key with a given hash', path: '/v1/api-keys', call: { method: 'POST', body: { name: 'x', role: 'viewer', hash: '0'.repeat(64) } } },
    { name: 'revoking a key that does not exist', path: `/v1/api-keys/key_${'0'.repeat(24)}`, call: { method: 'DELETE' } },
    { name: 'a member with an unknown role', path: '/v1/members/someone', call: { method: 'PUT', body: { role: 'owner' } } },
    { name: 'a member who does not exist', path: '/v1/members/nobody-at-all', call: { method: 'PUT', body: { role: 'viewer' } } },
    { name: 'a member with a tenant claim', path: '/v1/members/someone', call: { method: 'PUT', body: { role: 'viewer', tenant: 'rival-agency' } } },
    { name: 'removing a member who does not exist', path: '/v1/members/nobody-at-all', call: { method: 'DELETE' } },
    { name: 'a CORS preflight from an unlisted origin', path: '/v1/jobs', call: { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } } },
  ];
}

function webhookCases(existing: () => string): HostileCase[] {
  const create = (name: string, body: unknown): HostileCase => ({ name: `webhook ${name}`, path: '/v1/webhooks', call: { method: 'POST', body } });
  const at = (url: string) => create(`at ${url.slice(0, 60)}`, { url, events: ['job.completed'] });
  const ssrf = [
    'http://169.254.169.254/latest/meta-data',
    'http://169.254.169.254:80/computeMetadata/v1/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://metadata.google.internal./',
    'http://metadata/',
    'http://2130706433/',
    'http://0x7f000001/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://127.0.0.2/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[0:0:0:0:0:0:0:1]/',
    'http://[64:ff9b::7f00:1]/',
    'http://[::ffff:169.254.169.254]/',
    'http://10.0.0.1/',
    'http://192.168.1.1/',
    'http://172.16.0.1/',
    'http://100.64.0.1/',
    'http://[fe80::1]/',
    'http://[fc00::1]/',
    'http://0.0.0.0/',
    'http://[::]/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://foo.localhost/',
    'http://intranet/',
    'file:///etc/passwd',
    'gopher://127.0.0.1:6379/_INFO',
    'ftp://example.com/',
    'javascript:alert(1)',
    'data:text/plain,hi',
    'http://user:pass@example.com/',
    'http://127.0.0.1\\@169.254.169.254/',
    ' http://127.0.0.1/',
    '/relative/hook',
    `https://example.com/${'a'.repeat(5000)}`,
  ];
  const url = 'http://127.0.0.1:9/hook';
  return [
    ...ssrf.map(at),
    create('with an unknown event type', { url, events: ['job.exploded'] }),
    create('with no events', { url, events: [] }),
    create('with a duplicate event', { url, events: ['job.completed', 'job.completed'] }),
    create('subscribed to pings', { url, events: ['webhook.ping'] }),
    create('with events that are not a list', { url, events: 'job.completed' }),
    create('with an unknown field', { url, events: ['job.completed'], active: false }),
    create('with a secret of its own', { url, events: ['job.completed'], secret: 'whsec_mine_mine_mine_mine_mine_mine_mine' }),
    create('for another tenant', { url, events: ['job.completed'], tenant: 'rival-agency' }),
    create('without a url', { events: ['job.completed'] }),
    create('with a url that is a number', { url: 2130706433, events: ['job.completed'] }),
    create('with a 1 000-character description', { url, events: ['job.completed'], description: 'd'.repeat(1000) }),
    create('with a control character in its description', { url, events: ['job.completed'], description: 'a\u0007b' }),
    create('with a blank description', { url, events: ['job.completed'], description: '   ' }),
    { name: 'webhook ping of a webhook that does not exist', path: `/v1/webhooks/whk_${'0'.repeat(24)}/test`, call: { method: 'POST' } },
    { name: 'webhook ping with a body', path: () => `/v1/webhooks/${existing()}/test`, call: { method: 'POST', body: { event: 'job.completed' } } },
    { name: 'webhook delete of a malformed id', path: '/v1/webhooks/..%2Fwebhook_secrets', call: { method: 'DELETE' } },
    { name: 'webhook deliveries with a bad cursor', path: () => `/v1/webhooks/${existing()}/deliveries?cursor=nope`, call: { method: 'GET' } },
    { name: 'webhook deliveries with limit 0', path: () => `/v1/webhooks/${existing()}/deliveries?limit=0`, call: { method: 'GET' } },
  ];
}

describe('hostile input', () => {
  let platform: TestPlatform;
  let db: Firestore;
  let admin: ApiClient;
  let waiting: string;
  let delivered: string;
  let webhook: string;

  async function counts(): Promise<Record<string, number>> {
    const entries = await Promise.all(COLLECTIONS.map(async (name) => [name, (await db.collection(name).count().get()).data().count] as const));
    return Object.fromEntries(entries);
  }

  before(async () => {
    platform = await testPlatform();
    db = new Firestore({ projectId: platform.projectId });
    admin = adminClient(platform);
    waiting = (await jobInState(platform, platform.tenant, 'WAITING_APPROVAL')).id;
    delivered = (await jobInState(platform, platform.tenant, 'DELIVERED')).id;
    webhook = (await storedWebhook(platform, platform.tenant, 'http://127.0.0.1:9/hostile', ['batch.completed'])).webhook.id;
  });
  after(async () => {
    await deleteAllWebhooks(platform, [platform.tenant]);
    await db.terminate();
  });

  const cases = [
    ...briefCases(),
    ...bodyCases(),
    ...credentialCases(),
    ...pathAndQueryCases(),
    ...budgetCases(),
    ...actionCases(() => waiting, () => delivered),
    ...webhookCases(() => webhook),
  ];

  it('has at least 200 cases, 30 of them about webhooks', () => {
    expect(cases.length).to.be.at.least(200);
    expect(cases.filter((hostile) => hostile.name.startsWith('webhook ')).length).to.be.at.least(30);
  });

  for (const hostile of cases) {
    it(`answers 4xx in the error shape, writing nothing, for ${hostile.name}`, async () => {
      const before = await counts();
      const path = typeof hostile.path === 'function' ? hostile.path() : hostile.path;
      const client = hostile.anonymous ? admin.as({}) : admin;
      const answer = await client.call(path, hostile.call);
      expect(answer.status, JSON.stringify(answer.body)?.slice(0, 300)).to.be.within(400, 499);
      expect(answer.body.error.code).to.be.a('string');
      expect(answer.body.error.message).to.be.a('string');
      expect(answer.body.error.requestId).to.be.a('string');
      expect(answer.bytes.toString()).not.to.match(/\n\s+at |node_modules|SyntaxError/);
      expect(await counts()).to.deep.equal(before);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    });
  }

  it('left the waiting job exactly as it was', async () => {
    const job = await platform.runtime.jobs.get(waiting);
    expect(job?.state).to.equal('WAITING_APPROVAL');
    expect(job?.manifestEdits).to.deep.equal([]);
  });
});
