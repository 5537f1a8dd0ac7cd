import { expect } from 'chai';
import { Firestore } from '@google-cloud/firestore';
import { brandKitId, FirestoreBrandKits } from '../../../../shared/adapters/firestore/firestore_brand_kits';
import { planOffline } from '../../../../shared/domain/planning/offline_planner';
import { validBrief } from '../../../support/fixtures';
import { testPlatform } from '../../../support/root_hooks';

describe('FirestoreBrandKits on the Firestore emulator', () => {
  let db: Firestore;
  let kits: FirestoreBrandKits;
  const tenant = `t${Date.now()}`;

  before(async () => {
    db = new Firestore({ projectId: (await testPlatform()).projectId });
    kits = new FirestoreBrandKits(db, 'brandkit_test');
  });
  after(() => db.terminate());

  it('reads a kit a tenant set up, per tenant and brand', async () => {
    await db.collection('brandkit_test').doc(brandKitId(tenant, 'Lumen Coffee')).set({
      tenant,
      brand: 'Lumen Coffee',
      colors: { primary: '#2B1B14', secondary: '#8A5A3B', accent: '#F2B544' },
      tone: 'warm',
      bannedWords: ['cheap'],
      updatedAt: new Date().toISOString(),
    });
    const kit = await kits.get(tenant, 'lumen coffee ');
    expect(kit).to.include({ tone: 'warm', logoUri: null });
    expect(kit?.bannedWords).to.deep.equal(['cheap']);
    expect(await kits.get(`${tenant}-other`, 'Lumen Coffee')).to.equal(null);
  });

  it('keeps the last three approved manifests, newest first, once per job', async () => {
    const manifest = planOffline(validBrief());
    for (const jobId of ['a', 'b', 'b', 'c', 'd']) await kits.recordApproved(tenant, 'Fresh Brand', jobId, manifest, new Date());
    const kit = await kits.get(tenant, 'Fresh Brand');
    expect(kit?.approvedManifests.map((approved) => approved.jobId)).to.deep.equal(['d', 'c', 'b']);
    expect(kit?.approvedManifests[0].manifest).to.deep.equal(manifest);
  });

  it('serves a cached keyframe until it expires, with the TTL field Firestore deletes it by', async () => {
    const expiresAt = new Date(Date.now() + 60_000);
    await kits.cacheKeyframe(tenant, 'Lumen Coffee', 'k1', { blobKey: 'scratch/k1.png', prompt: 'beans', aspectRatio: '9:16', provider: 'imagen-4.0-generate-001', expiresAt });
    const hit = await kits.cachedKeyframe(tenant, 'Lumen Coffee', 'k1', new Date());
    expect(hit).to.deep.include({ blobKey: 'scratch/k1.png', aspectRatio: '9:16' });
    expect(hit?.expiresAt.getTime()).to.equal(expiresAt.getTime());
    expect(await kits.cachedKeyframe(tenant, 'Lumen Coffee', 'k1', new Date(expiresAt.getTime() + 1))).to.equal(null);
    const raw = await db.collection('brandkit_test').doc(brandKitId(tenant, 'Lumen Coffee')).collection('derived').doc('k1').get();
    expect(raw.get('expireAt').toMillis()).to.equal(expiresAt.getTime());
  });
});
