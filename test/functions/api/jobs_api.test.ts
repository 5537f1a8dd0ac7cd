import { expect } from 'chai';
import { Firestore } from '@google-cloud/firestore';
import { followJob } from '../../../local/follow_job';
import type { ApiClient } from '../../support/api_client';
import { shortBrief } from '../../support/fixtures';
import { jobInState } from '../../support/job_fixtures';
import { adminClient, callersOf, makeApiKey, OTHER_TENANT } from '../../support/principals';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';

async function jobCount(db: Firestore): Promise<number> {
  return (await db.collection('jobs').count().get()).data().count;
}

describe('jobs API', () => {
  let platform: TestPlatform;
  let db: Firestore;
  let admin: ApiClient;

  before(async () => {
    platform = await testPlatform();
    db = new Firestore({ projectId: platform.projectId });
    admin = adminClient(platform);
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
      const answer = await admin.post('/v1/jobs', body);
      expect(answer.status).to.equal(400);
      expect(answer.body.error.code).to.equal('invalid_brief');
      expect(answer.body.error.fields.map((f: { field: string }) => f.field)).to.have.members(fields);
      expect(answer.body.error.requestId).to.be.a('string');
      expect(await jobCount(db)).to.equal(before);
    });
  }

  it('creates a job with 201, its id and a Location, records who submitted it, and serves it back', async () => {
    const created = await admin.post('/v1/jobs', shortBrief());
    expect(created.status).to.equal(201);
    expect(created.body.id).to.match(/^job_[0-9a-f]{32}$/);
    expect(created.headers.get('location')).to.equal(`/v1/jobs/${created.body.id}`);
    const fetched = await admin.get(`/v1/jobs/${created.body.id}`);
    expect(fetched.status).to.equal(200);
    expect(fetched.body.stateHistory[0].to).to.equal('SUBMITTED');
    expect(fetched.body.createdBy).to.include({ kind: 'api_key', tenant: platform.tenant, role: 'admin' });
    expect(fetched.body).not.to.have.property('leases');
    const job = await followJob(platform.runtime.jobs, created.body.id, () => undefined);
    expect(job.state, job.error?.reason).to.equal('DELIVERED');
  });

  it('answers 404 for an unknown job, a malformed id and an unknown route, and 405 with Allow for a wrong method', async () => {
    expect((await admin.get(`/v1/jobs/job_${'0'.repeat(32)}`)).status).to.equal(404);
    expect((await admin.get('/v1/jobs/not-a-job')).status).to.equal(404);
    expect((await admin.get('/v2/nothing')).status).to.equal(404);
    const wrong = await admin.call('/v1/jobs', { method: 'PUT', body: {} });
    expect(wrong.status).to.equal(405);
    expect(wrong.headers.get('allow')).to.equal('POST, GET');
  });

  describe('listing', () => {
    let mine: string[];

    before(async () => {
      // A tenant of its own, so the counts below are exact whatever else the suite has made.
      const tenant = `list-${Date.now().toString(36)}`;
      const client = admin.as({ apiKey: await makeApiKey(platform, tenant, 'viewer') });
      Object.assign(listing, { client, tenant });
      const made = [];
      for (const [state, durationSec, preset] of [
        ['DELIVERED', 6, 'quick_social'],
        ['ERROR', 8, 'brand_campaign'],
        ['RENDERING', 10, 'brand_campaign'],
        ['WAITING_APPROVAL', 12, 'premium_spot'],
        ['CANCELLED', 14, 'quick_social'],
      ] as const) {
        made.push(await jobInState(platform, tenant, state, { durationSec, preset }));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await platform.runtime.jobs.update(made[0].id, (job) => ({ job: { ...job, totalCostUsd: 0.25 }, result: null }));
      await platform.runtime.jobs.update(made[1].id, (job) => ({ job: { ...job, totalCostUsd: 0.75 }, result: null }));
      mine = made.map((job) => job.id).reverse();
    });
    const listing: { client?: ApiClient; tenant?: string } = {};
    const list = async (query: string) => {
      const answer = await listing.client!.get(`/v1/jobs${query}`);
      expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
      return answer.body as { items: Array<{ id: string; state: string }>; nextCursor: string | null };
    };

    it("lists only the caller's tenant, newest first", async () => {
      expect((await list('')).items.map((job) => job.id)).to.deep.equal(mine);
    });

    it('pages with a cursor until the last page, without repeats or gaps', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Array<{ id: string }>; nextCursor: string | null } = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.items.map((job) => job.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(seen).to.deep.equal(mine);
    });

    const cases: Array<[string, string, number[]]> = [
      ['=', 'state:=:RENDERING', [2]],
      ['!=', 'state:!=:RENDERING', [0, 1, 3, 4]],
      ['in', 'state:in:DELIVERED,ERROR', [0, 1]],
      ['not-in', 'state:not-in:DELIVERED,ERROR', [2, 3, 4]],
      ['preset =', 'preset:=:quick_social', [0, 4]],
      ['cost >', 'costUsd:>:0.5', [1]],
      ['cost >=', 'costUsd:>=:0.25', [0, 1]],
      ['cost <', 'costUsd:<:0.3', [0, 2, 3, 4]],
      ['cost <=', 'costUsd:<=:0.75', [0, 1, 2, 3, 4]],
    ];
    for (const [name, filter, indexes] of cases) {
      it(`filters with ${name}`, async () => {
        const expected = mine.filter((_, i) => indexes.map((index) => mine.length - 1 - index).includes(i));
        expect((await list(`?filter=${encodeURIComponent(filter)}`)).items.map((job) => job.id)).to.have.members(expected);
      });
    }

    it('filters on created time and combines filters on several fields', async () => {
      const all = await list('');
      const third = (await platform.runtime.jobs.get(all.items[2].id))!;
      const since = await list(`?filter=${encodeURIComponent(`createdAt:>=:${third.createdAt}`)}`);
      expect(since.items.map((job) => job.id)).to.deep.equal(all.items.slice(0, 3).map((job) => job.id));
      const combined = await list(`?filter=${encodeURIComponent(`createdAt:<:${third.createdAt}`)}&filter=${encodeURIComponent('costUsd:>:0')}`);
      expect(combined.items.map((job) => job.id)).to.deep.equal(all.items.slice(3).map((job) => job.id));
    });

    it('refuses filters it cannot run, naming them', async () => {
      for (const filter of ['state:>:RENDERING', 'colour:=:red', 'state:=:NOT_A_STATE', 'costUsd:>:cheap', 'createdAt:>:yesterday', 'state', 'state:~:x']) {
        const answer = await listing.client!.get(`/v1/jobs?filter=${encodeURIComponent(filter)}`);
        expect(answer.status, filter).to.equal(400);
        expect(answer.body.error.fields[0].field).to.equal('filter[0]');
      }
      const two = await listing.client!.get(`/v1/jobs?filter=${encodeURIComponent('state:!=:ERROR')}&filter=${encodeURIComponent('preset:!=:quick_social')}`);
      expect(two.status).to.equal(400);
    });

    it("refuses a cursor from another tenant's list", async () => {
      const other = await jobInState(platform, OTHER_TENANT, 'DELIVERED');
      const answer = await listing.client!.get(`/v1/jobs?cursor=${other.id}`);
      expect(answer.status).to.equal(400);
      expect(answer.body.error.code).to.equal('invalid_cursor');
    });
  });

  describe('cancel and erase', () => {
    it('cancels a running job once, removing what it made; cancelling again is harmless and a finished job refuses', async () => {
      const job = await jobInState(platform, platform.tenant, 'RENDERING');
      const first = await admin.post(`/v1/jobs/${job.id}/cancel`);
      expect(first.status).to.equal(200);
      expect(first.body.state).to.equal('CANCELLED');
      const again = await admin.post(`/v1/jobs/${job.id}/cancel`);
      expect(again.status).to.equal(200);
      const closed = await followJob(platform.runtime.jobs, job.id, () => undefined);
      expect(closed.stateHistory.filter((entry) => entry.to === 'CANCELLED')).to.have.length(1);
      const delivered = await jobInState(platform, platform.tenant, 'DELIVERED');
      const refused = await admin.post(`/v1/jobs/${delivered.id}/cancel`);
      expect(refused.status).to.equal(409);
      expect(refused.body.error.code).to.equal('already_finished');
    });

    it('erases a finished job with its files, leaving an audit entry, and refuses a job still working', async () => {
      const job = await jobInState(platform, platform.tenant, 'DELIVERED');
      expect(await platform.runtime.blobs.list(`jobs/${job.id}`)).to.have.length(2);
      const erased = await admin.delete(`/v1/jobs/${job.id}`);
      expect(erased.status).to.equal(204);
      expect(await platform.runtime.jobs.get(job.id)).to.equal(null);
      expect(await platform.runtime.blobs.list(`jobs/${job.id}`)).to.deep.equal([]);
      expect((await admin.get(`/v1/jobs/${job.id}`)).status).to.equal(404);
      const audit = await admin.get(`/v1/audit?target=${job.id}`);
      expect(audit.body.items.map((entry: { action: string }) => entry.action)).to.deep.equal(['job.erased']);
      expect(JSON.stringify(audit.body)).not.to.contain(job.brief.audience);
      const running = await jobInState(platform, platform.tenant, 'RENDERING');
      const refused = await admin.delete(`/v1/jobs/${running.id}`);
      expect(refused.status).to.equal(409);
      expect(await platform.runtime.jobs.get(running.id)).not.to.equal(null);
    });
  });

  describe('batches', () => {
    it('creates every job of a batch under one batch id, and completes the batch when they have all finished', async () => {
      const created = await admin.post('/v1/jobs:batch', { briefs: [shortBrief(), shortBrief({ aspectRatios: ['1:1'] })] });
      expect(created.status).to.equal(201);
      expect(created.body.jobs).to.have.length(2);
      const jobs = await Promise.all(created.body.jobs.map((job: { id: string }) => followJob(platform.runtime.jobs, job.id, () => undefined)));
      expect(jobs.map((job) => job.batchId)).to.deep.equal([created.body.batchId, created.body.batchId]);
      const batch = await admin.get(`/v1/batches/${created.body.batchId}`);
      expect(batch.status).to.equal(200);
      expect(batch.body.finished).to.deep.equal(Object.fromEntries(jobs.map((job) => [job.id, 'DELIVERED'])));
      expect(batch.body.completedAt).to.be.a('string');
    });

    it('writes nothing when any brief of a batch is invalid, naming it by position', async () => {
      const before = await jobCount(db);
      const answer = await admin.post('/v1/jobs:batch', { briefs: [shortBrief(), shortBrief({ durationSec: 0 })] });
      expect(answer.status).to.equal(400);
      expect(answer.body.error.fields.map((f: { field: string }) => f.field)).to.deep.equal(['briefs[1].durationSec']);
      expect(await jobCount(db)).to.equal(before);
    });
  });

  it('lists the presets and reports usage by state', async () => {
    const { own } = await callersOf(platform);
    const presets = await own.viewer.get('/v1/presets');
    expect(presets.body.items.map((preset: { name: string }) => preset.name)).to.deep.equal(['quick_social', 'brand_campaign', 'premium_spot']);
    expect((await own.viewer.get('/v1/presets/premium_spot')).body.qualityBar).to.equal(0.9);
    expect((await own.viewer.get('/v1/presets/cheap')).status).to.equal(404);
    const usage = await own.viewer.get('/v1/usage');
    expect(usage.status).to.equal(200);
    expect(usage.body.jobsByState.DELIVERED).to.be.at.least(1);
    expect(usage.body.month.jobs).to.be.at.least(1);
  });
});
