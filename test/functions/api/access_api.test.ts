import { expect } from 'chai';
import { Firestore } from '@google-cloud/firestore';
import { ApiClient } from '../../support/api_client';
import { shortBrief } from '../../support/fixtures';
import { signIn, signUp } from '../../support/firebase_users';
import { jobInState } from '../../support/job_fixtures';
import { adminClient, makeApiKey, OTHER_TENANT } from '../../support/principals';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';

describe('API keys and members', () => {
  let platform: TestPlatform;
  let admin: ApiClient;

  before(async () => {
    platform = await testPlatform();
    admin = adminClient(platform);
  });

  describe('API keys', () => {
    it('shows a new key once, stores only its hash, and lists keys without secrets', async () => {
      const created = await admin.post('/v1/api-keys', { name: 'ci pipeline', role: 'service' });
      expect(created.status).to.equal(201);
      expect(created.body.key).to.match(/^aiprod_[A-Za-z0-9_-]{43}$/);
      const db = new Firestore({ projectId: platform.projectId });
      try {
        const stored = (await db.collection('api_keys').doc(created.body.id).get()).data()!;
        expect(JSON.stringify(stored)).not.to.contain(created.body.key);
        expect(stored.hash).to.match(/^[0-9a-f]{64}$/);
      } finally {
        await db.terminate();
      }
      const listed = await admin.get('/v1/api-keys');
      const entry = listed.body.items.find((key: { id: string }) => key.id === created.body.id);
      expect(entry).to.include({ name: 'ci pipeline', role: 'service', revokedAt: null });
      expect(entry).not.to.have.property('key');
      expect(entry).not.to.have.property('hash');
      expect(JSON.stringify(listed.body)).not.to.contain(created.body.key);
    });

    it('lets a key act with its role in its tenant, and refuses it at once when revoked', async () => {
      const created = await admin.post('/v1/api-keys', { name: 'short-lived', role: 'service' });
      const service = admin.as({ apiKey: created.body.key });
      expect((await service.post('/v1/jobs', shortBrief({ preset: 'brand_campaign' }))).status).to.equal(201);
      expect((await service.post('/v1/api-keys', { name: 'escalate', role: 'admin' })).status).to.equal(403);
      const revoked = await admin.delete(`/v1/api-keys/${created.body.id}`);
      expect(revoked.status).to.equal(200);
      expect(revoked.body.revokedAt).to.be.a('string');
      const refused = await service.get('/v1/jobs');
      expect(refused.status).to.equal(401);
      expect(refused.body.error.message).to.contain('revoked');
      expect((await admin.delete(`/v1/api-keys/${created.body.id}`)).status).to.equal(200);
      const actions = (await admin.get(`/v1/audit?target=${created.body.id}`)).body.items.map((entry: { action: string }) => entry.action);
      expect(actions).to.deep.equal(['api_key.revoked', 'api_key.created']);
    });

    it("takes the tenant from the key, never from the request, and hides other tenants' keys", async () => {
      const created = await admin.post('/v1/api-keys', { name: 'mine', role: 'viewer' });
      const rival = admin.as({ apiKey: await makeApiKey(platform, OTHER_TENANT, 'admin') });
      expect((await rival.get('/v1/api-keys')).body.items.map((key: { id: string }) => key.id)).not.to.include(created.body.id);
      expect((await rival.delete(`/v1/api-keys/${created.body.id}`)).status).to.equal(404);
      const job = await jobInState(platform, platform.tenant, 'DELIVERED');
      expect((await rival.get(`/v1/jobs/${job.id}`)).status).to.equal(404);
      expect((await rival.get('/v1/jobs?limit=100')).body.items.every((item: { tenant: string }) => item.tenant === OTHER_TENANT)).to.equal(true);
    });
  });

  describe('members signed in with Firebase', () => {
    it('a signed-in user without a tenant is told to ask an admin; once added they act with their role at once, and removed they cannot', async () => {
      const user = await signUp();
      const stranger = new ApiClient(platform.apiUrl, { idToken: user.idToken });
      const refused = await stranger.get('/v1/jobs');
      expect(refused.status).to.equal(403);
      expect(refused.body.error.code).to.equal('no_membership');

      const added = await admin.put(`/v1/members/${user.uid}`, { role: 'viewer' });
      expect(added.status).to.equal(200);
      expect(added.body).to.deep.equal({ uid: user.uid, email: user.email, role: 'viewer' });
      // The role is read from the member's record, so the token they already hold carries it at once.
      const viewer = stranger;
      expect((await viewer.get('/v1/jobs')).status).to.equal(200);
      expect((await viewer.post('/v1/jobs', shortBrief())).status).to.equal(403);
      expect((await admin.get(`/v1/members/${user.uid}`)).body.role).to.equal('viewer');

      expect((await admin.put(`/v1/members/${user.uid}`, { role: 'user' })).status).to.equal(200);
      const promoted = stranger.as({ idToken: (await signIn(user)).idToken });
      expect((await stranger.post('/v1/jobs', shortBrief({ preset: 'brand_campaign' }))).status).to.equal(201);
      const created = await promoted.post('/v1/jobs', shortBrief({ preset: 'brand_campaign' }));
      expect(created.status).to.equal(201);
      expect((await admin.get(`/v1/jobs/${created.body.id}`)).body.createdBy).to.deep.equal({ kind: 'user', id: user.uid, tenant: platform.tenant, role: 'user' });

      expect((await admin.delete(`/v1/members/${user.uid}`)).status).to.equal(204);
      expect((await promoted.get('/v1/jobs')).body.error.code).to.equal('no_membership');
      expect((await admin.get(`/v1/members/${user.uid}`)).status).to.equal(404);
    });

    it("cannot take another tenant's member, nor change its own membership", async () => {
      const user = await signUp();
      await platform.runtime.identity.assign(user.uid, OTHER_TENANT, 'admin');
      expect((await admin.put(`/v1/members/${user.uid}`, { role: 'viewer' })).status).to.equal(404);
      expect((await admin.get(`/v1/members/${user.uid}`)).status).to.equal(404);
      const rivalAdmin = new ApiClient(platform.apiUrl, { idToken: (await signIn(user)).idToken });
      const own = await rivalAdmin.put(`/v1/members/${user.uid}`, { role: 'viewer' });
      expect(own.status).to.equal(409);
      expect(own.body.error.code).to.equal('own_membership');
    });
  });
});
