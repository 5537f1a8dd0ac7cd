import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { followJob } from '../../../local/follow_job';
import type { ApiClient } from '../../support/api_client';
import { jobInState } from '../../support/job_fixtures';
import { adminClient, callersOf } from '../../support/principals';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';

describe('storyboard edit and approval (ICC)', () => {
  let platform: TestPlatform;
  let admin: ApiClient;

  before(async () => {
    platform = await testPlatform();
    admin = adminClient(platform);
  });

  it('keeps every edit with who, when and the diff; an edit that changes nothing adds nothing', async () => {
    const job = await jobInState(platform, platform.tenant, 'WAITING_APPROVAL');
    const { own } = await callersOf(platform);
    const read = await admin.get(`/v1/jobs/${job.id}/manifest`);
    expect(read.body.editable).to.equal(true);
    const hook = read.body.manifest.scenes[0];
    const edited = await own.user.patch(`/v1/jobs/${job.id}/manifest`, { title: 'Cold brew, warm mornings', scenes: [{ index: 0, onScreenText: 'Lumen Coffee\nwakes you up' }] });
    expect(edited.status, JSON.stringify(edited.body)).to.equal(200);
    expect(edited.body.manifest.scenes[0].onScreenText).to.equal('Lumen Coffee\nwakes you up');
    expect(edited.body.manifest.scenes[0].voiceover).to.equal(hook.voiceover);
    const [edit] = edited.body.edits;
    expect(edit.by).to.include({ kind: 'api_key', role: 'user', tenant: platform.tenant });
    expect(edit.changes).to.deep.equal([
      { path: 'title', from: read.body.manifest.title, to: 'Cold brew, warm mornings' },
      { path: 'scenes[0].onScreenText', from: hook.onScreenText, to: 'Lumen Coffee\nwakes you up' },
    ]);
    const same = await admin.patch(`/v1/jobs/${job.id}/manifest`, { title: 'Cold brew, warm mornings' });
    expect(same.body.edits).to.have.length(1);
    const stored = JSON.parse(await readFile(fileURLToPath(platform.runtime.blobs.uri(`jobs/${job.id}/storyboard.json`)), 'utf8'));
    expect(stored.title).to.equal('Cold brew, warm mornings');
    const audit = await admin.get(`/v1/audit?target=${job.id}&action=storyboard.edited`);
    expect(audit.body.items).to.have.length(1);
  });

  it('refuses locked fields by name, and an edit made against a storyboard that has changed since', async () => {
    const job = await jobInState(platform, platform.tenant, 'WAITING_APPROVAL');
    const locked = await admin.patch(`/v1/jobs/${job.id}/manifest`, { brandName: 'Other', scenes: [{ index: 0, palette: ['#000000', '#111111'] }] });
    expect(locked.status).to.equal(400);
    expect(locked.body.error.fields).to.deep.include({ field: 'brandName', message: 'locked: the brand name cannot be edited' });
    expect(locked.body.error.fields.map((f: { field: string }) => f.field)).to.include('scenes[0].palette');
    const { headers } = await admin.get(`/v1/jobs/${job.id}/manifest`);
    const etag = headers.get('etag')!;
    expect((await admin.patch(`/v1/jobs/${job.id}/manifest`, { title: 'First' }, { headers: { 'if-match': etag } })).status).to.equal(200);
    const stale = await admin.patch(`/v1/jobs/${job.id}/manifest`, { title: 'Second' }, { headers: { 'if-match': etag } });
    expect(stale.status).to.equal(412);
    expect((await platform.runtime.jobs.get(job.id))?.manifest?.title).to.equal('First');
  });

  it('refuses an edit that would fail the review it passed (no brand left), and edits once the job has moved on', async () => {
    const job = await jobInState(platform, platform.tenant, 'WAITING_APPROVAL');
    const scrub = (text: string) => text.replaceAll('Lumen Coffee', 'it');
    const scenes = job.manifest!.scenes.map((scene) => ({ index: scene.index, onScreenText: scrub(scene.onScreenText), voiceover: scrub(scene.voiceover) }));
    const refused = await admin.patch(`/v1/jobs/${job.id}/manifest`, { scenes });
    expect(refused.status).to.equal(422);
    expect(refused.body.error.code).to.equal('edit_fails_review');
    expect(refused.body.error.message).to.contain('brand');
    const delivered = await jobInState(platform, platform.tenant, 'DELIVERED');
    const late = await admin.patch(`/v1/jobs/${delivered.id}/manifest`, { title: 'Too late' });
    expect(late.status).to.equal(409);
    expect(late.body.error.code).to.equal('not_editable');
  });

  it('renders the edited storyboard once approved, and records who approved it', async () => {
    const job = await jobInState(platform, platform.tenant, 'WAITING_APPROVAL');
    const line = 'Lumen Coffee cold brew, smooth all day.';
    expect((await admin.patch(`/v1/jobs/${job.id}/manifest`, { scenes: [{ index: job.manifest!.scenes.length - 1, voiceover: line }] })).status).to.equal(200);
    const approved = await admin.post(`/v1/jobs/${job.id}/approve`, { comment: 'Ship it' });
    expect(approved.status).to.equal(200);
    expect(approved.body.approval).to.include({ decision: 'approved', comment: 'Ship it' });
    expect(approved.body.approval.decidedBy).to.include({ kind: 'api_key', role: 'admin', tenant: platform.tenant });
    const done = await followJob(platform.runtime.jobs, job.id, () => undefined);
    expect(done.state, done.error?.reason).to.equal('DELIVERED');
    expect(done.manifest!.scenes[done.manifest!.scenes.length - 1].voiceover).to.equal(line);
    const srt = await readFile(fileURLToPath(done.outputs.subtitles!.srtUri), 'utf8');
    expect(srt.replace(/\s+/g, ' ')).to.contain('smooth all day');
  });

  it('cancels a rejected job with the comment, and rejecting again changes nothing', async () => {
    const job = await jobInState(platform, platform.tenant, 'WAITING_APPROVAL');
    const rejected = await admin.post(`/v1/jobs/${job.id}/reject`, { comment: 'Off brand' });
    expect(rejected.status).to.equal(200);
    expect(rejected.body.state).to.equal('CANCELLED');
    expect(rejected.body.stateHistory.at(-1).reason).to.contain('Off brand');
    const again = await admin.post(`/v1/jobs/${job.id}/reject`);
    expect(again.status).to.equal(200);
    expect(again.body.stateHistory.filter((entry: { to: string }) => entry.to === 'CANCELLED')).to.have.length(1);
    expect((await admin.post(`/v1/jobs/${job.id}/approve`)).status).to.equal(409);
  });

  it('announces an approval again when asked again, in case the first announcement was lost', async () => {
    const job = await jobInState(platform, platform.tenant, 'WAITING_APPROVAL');
    const published: string[] = [];
    const original = platform.runtime.events.publish.bind(platform.runtime.events);
    const events = platform.runtime.events as { publish: typeof original };
    events.publish = async (topic, data, attributes) => {
      if (attributes.jobId === job.id) published.push(`${topic}:${attributes.state}`);
      return original(topic, data, attributes);
    };
    try {
      await admin.post(`/v1/jobs/${job.id}/approve`);
      await admin.post(`/v1/jobs/${job.id}/approve`);
    } finally {
      events.publish = original;
    }
    expect(published.filter((entry) => entry === 'aiprod-rendering:RENDERING')).to.have.length(2);
    const done = await followJob(platform.runtime.jobs, job.id, () => undefined);
    expect(done.stateHistory.filter((entry) => entry.to === 'RENDERING')).to.have.length(1);
  });
});
