import { expect } from 'chai';
import { Firestore } from '@google-cloud/firestore';
import { followJob } from '../../../local/follow_job';
import { shortBrief } from '../../support/fixtures';
import { postJson } from '../../support/jobs';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';

async function jobCount(db: Firestore): Promise<number> {
  return (await db.collection('jobs').count().get()).data().count;
}

describe('jobs API', () => {
  let platform: TestPlatform;
  let db: Firestore;

  before(async () => {
    platform = await testPlatform();
    db = new Firestore({ projectId: platform.projectId });
  });
  after(() => db.terminate());

  const { brand: _brand, ...noBrand } = shortBrief();
  const invalid: Array<[string, unknown, string[]]> = [
    ['no brand', noBrand, ['brand']],
    ['duration 0', shortBrief({ durationSec: 0 }), ['durationSec']],
    ['duration 10000', shortBrief({ durationSec: 10000 }), ['durationSec']],
    ['1 MB of text', shortBrief({ audience: 'a'.repeat(1024 * 1024) }), ['audience']],
    ['wrong types', { ...shortBrief(), durationSec: 'thirty', keyMessages: [42] }, ['durationSec', 'keyMessages[0]']],
    ['unknown fields', { ...shortBrief(), price: 3, brand: { name: 'X', slogan: 'y' } }, ['brand.slogan', 'price']],
  ];
  for (const [name, body, fields] of invalid) {
    it(`answers 400 naming the fields for a brief with ${name}, and writes nothing`, async () => {
      const before = await jobCount(db);
      const { status, body: answer } = await postJson(platform, '/v1/jobs', body);
      expect(status).to.equal(400);
      expect(answer.error.code).to.equal('invalid_brief');
      expect(answer.error.fields.map((f: { field: string }) => f.field)).to.have.members(fields);
      expect(answer.error.requestId).to.be.a('string');
      expect(await jobCount(db)).to.equal(before);
    });
  }

  it('answers 400 for a body that is not a JSON object', async () => {
    const response = await fetch(`${platform.apiUrl}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2]' });
    expect(response.status).to.equal(400);
    expect((await response.json()).error.code).to.equal('invalid_body');
  });

  it('answers 400 without a stack trace for malformed JSON, and writes nothing', async () => {
    const before = await jobCount(db);
    const response = await fetch(`${platform.apiUrl}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"brand": ' });
    expect(response.status).to.equal(400);
    const text = await response.text();
    expect(text).not.to.match(/SyntaxError|at JSON\.parse|node_modules/);
    expect(await jobCount(db)).to.equal(before);
  });

  it('answers 415 for a body that is not JSON', async () => {
    const response = await fetch(`${platform.apiUrl}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(response.status).to.equal(415);
  });

  it('creates a job with 201 and its id, and serves it back', async () => {
    const { status, body } = await postJson(platform, '/v1/jobs', shortBrief());
    expect(status).to.equal(201);
    expect(body.id).to.match(/^job_[0-9a-f]{32}$/);
    const response = await fetch(`${platform.apiUrl}/v1/jobs/${body.id}`);
    expect(response.status).to.equal(200);
    const job = await response.json();
    expect(job.id).to.equal(body.id);
    expect(job.stateHistory[0].to).to.equal('SUBMITTED');
    await followJob(platform.runtime.jobs, body.id, () => undefined);
  });

  it('answers 404 for an unknown job and an unknown route, 405 for a wrong method', async () => {
    expect((await fetch(`${platform.apiUrl}/v1/jobs/job_${'0'.repeat(32)}`)).status).to.equal(404);
    expect((await fetch(`${platform.apiUrl}/v1/jobs/../../etc`)).status).to.equal(404);
    expect((await fetch(`${platform.apiUrl}/v2/nothing`)).status).to.equal(404);
    expect((await fetch(`${platform.apiUrl}/v1/jobs`, { method: 'GET' })).status).to.equal(405);
  });
});
