import { expect } from 'chai';
import { unzipSync } from 'fflate';
import { followJob } from '../../../local/follow_job';
import type { ApiClient } from '../../support/api_client';
import { shortBrief } from '../../support/fixtures';
import { jobInState } from '../../support/job_fixtures';
import { adminClient, makeApiKey } from '../../support/principals';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';

describe('exports', () => {
  let platform: TestPlatform;
  let admin: ApiClient;

  before(async () => {
    platform = await testPlatform();
    admin = adminClient(platform);
  });

  it('packs a delivered job into one ZIP: its video, stills, subtitles, QA report, storyboard and receipt', async () => {
    const created = await admin.post('/v1/jobs', shortBrief());
    const job = await followJob(platform.runtime.jobs, created.body.id, () => undefined);
    expect(job.state, job.error?.reason).to.equal('DELIVERED');
    const answer = await admin.get(`/v1/jobs/${job.id}/export`);
    expect(answer.status).to.equal(200);
    expect(answer.headers.get('content-type')).to.equal('application/zip');
    expect(answer.headers.get('content-disposition')).to.contain(`${job.id}.zip`);
    const files = unzipSync(new Uint8Array(answer.bytes));
    const names = Object.keys(files).sort();
    expect(names).to.include.members(['qa-report.json', 'storyboard.json', 'receipt.json', 'lumen-coffee-6s-9x16.mp4', 'lumen-coffee-6s.srt', 'lumen-coffee-6s.vtt']);
    expect(names.some((name) => name.endsWith('-poster.png'))).to.equal(true);
    const video = files['lumen-coffee-6s-9x16.mp4'];
    expect(Buffer.from(video.subarray(4, 8)).toString()).to.equal('ftyp');
    expect(video.length).to.equal(job.outputs.videos[0].bytes);
    expect(JSON.parse(Buffer.from(files['qa-report.json']).toString()).tech.passed).to.equal(true);
    expect(JSON.parse(Buffer.from(files['storyboard.json']).toString()).brandName).to.equal('Lumen Coffee');
    expect((await admin.get(`/v1/audit?target=${job.id}&action=job.exported`)).body.items).to.have.length(1);
    // Storing and serving the delivery is billed by the bytes delivered (the receipt, written after, aside).
    const delivered = Object.entries(files).filter(([name]) => !name.endsWith('.json'));
    const gib = delivered.reduce((sum, [, bytes]) => sum + bytes.length, 0) / 1024 ** 3;
    for (const item of ['storage.standard', 'network.egress']) {
      const entry = job.costLedger.find((line) => line.item === item);
      expect(entry?.units, item).to.be.closeTo(gib, 1e-9);
      expect(entry?.stage).to.equal('QA_SEMANTIC');
    }
  });

  it('refuses to export a job that has not been delivered', async () => {
    const job = await jobInState(platform, platform.tenant, 'WAITING_APPROVAL');
    const answer = await admin.get(`/v1/jobs/${job.id}/export`);
    expect(answer.status).to.equal(409);
    expect(answer.body.error.code).to.equal('not_delivered');
  });

  describe('job lists', () => {
    let client: ApiClient;
    let ids: string[];

    before(async () => {
      const tenant = `export-${Date.now().toString(36)}`;
      client = admin.as({ apiKey: await makeApiKey(platform, tenant, 'viewer') });
      const plain = await jobInState(platform, tenant, 'DELIVERED');
      await new Promise((resolve) => setTimeout(resolve, 5));
      const formula = await jobInState(platform, tenant, 'ERROR', { brand: { name: '=HYPERLINK("http://x","y")' }, product: 'beans, "roasted"' });
      ids = [formula.id, plain.id];
    });

    it('writes CSV with a header, one row per job newest first, quoting, and formulas defused', async () => {
      const answer = await client.get('/v1/exports/jobs?format=csv');
      expect(answer.status).to.equal(200);
      expect(answer.headers.get('content-type')).to.equal('text/csv; charset=utf-8');
      const lines = (answer.body as string).trimEnd().split('\r\n');
      expect(lines[0]).to.equal('id,state,preset,brand,product,durationSec,aspectRatios,createdAt,completedAt,totalCostUsd,error');
      expect(lines.slice(1).map((line) => line.split(',')[0])).to.deep.equal(ids);
      expect(lines[1]).to.contain(`"'=HYPERLINK(""http://x"",""y"")"`);
      expect(lines[1]).to.contain('"beans, ""roasted"""');
      expect(lines[1]).to.contain('test fixture failure');
    });

    it('writes JSON with the same jobs as the list, and applies the list filters', async () => {
      const json = await client.get('/v1/exports/jobs?format=json');
      expect(json.body.items.map((job: { id: string }) => job.id)).to.deep.equal(ids);
      expect(json.body.items[0]).not.to.have.property('leases');
      const filtered = await client.get(`/v1/exports/jobs?format=json&filter=${encodeURIComponent('state:=:DELIVERED')}`);
      expect(filtered.body.items.map((job: { id: string }) => job.id)).to.deep.equal([ids[1]]);
    });
  });
});
