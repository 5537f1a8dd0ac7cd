import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { Firestore } from '@google-cloud/firestore';
import { FirestoreBatchStore } from '../../../../shared/adapters/firestore/firestore_batch_store';
import { validateBrief } from '../../../../shared/domain/brief_validation';
import { newJob } from '../../../../shared/domain/new_job';
import type { Batch } from '../../../../shared/schemas/batch';
import { shortBrief } from '../../../support/fixtures';
import { rejectionOf } from '../../../support/rejection';
import { testPlatform } from '../../../support/root_hooks';

describe('FirestoreBatchStore on the Firestore emulator', () => {
  let db: Firestore;
  let store: FirestoreBatchStore;
  let collections: { batches: string; jobs: string };

  before(async () => {
    const platform = await testPlatform();
    db = new Firestore({ projectId: platform.projectId });
    const suffix = randomUUID().slice(0, 8);
    collections = { batches: `batches_${suffix}`, jobs: `jobs_${suffix}` };
    store = new FirestoreBatchStore(db, collections.batches, collections.jobs);
  });
  after(() => db.terminate());

  function batchOf(size: number): { batch: Batch; jobs: ReturnType<typeof newJob>[] } {
    const validation = validateBrief(shortBrief());
    if (!validation.ok) throw new Error('fixture invalid');
    const id = `batch_${randomUUID().replace(/-/g, '')}`;
    const jobs = Array.from({ length: size }, () => newJob({ id: `job_${randomUUID().replace(/-/g, '')}`, tenant: 't', brief: validation.brief, createdBy: null, batchId: id }, new Date()));
    return { batch: { id, tenant: 't', jobIds: jobs.map((job) => job.id), createdAt: new Date().toISOString(), createdBy: null, finished: {}, completedAt: null }, jobs };
  }

  const count = async (name: string) => (await db.collection(name).count().get()).data().count;

  it('writes a batch and its jobs together, or none of them when one job exists already', async () => {
    const { batch, jobs } = batchOf(3);
    await store.create(batch, jobs);
    expect((await store.get(batch.id))?.jobIds).to.deep.equal(jobs.map((job) => job.id));
    const before = await count(collections.jobs);
    const again = batchOf(2);
    await rejectionOf(store.create(again.batch, [...again.jobs, jobs[0]]));
    expect(await count(collections.jobs)).to.equal(before);
    expect(await store.get(again.batch.id)).to.equal(null);
  });

  it('completes the batch with its last job, counting each job once however often it is recorded', async () => {
    const { batch, jobs } = batchOf(2);
    await store.create(batch, jobs);
    const first = await store.recordFinished(batch.id, jobs[0].id, 'DELIVERED', '2026-01-01T00:00:00.000Z');
    expect(first.completedAt).to.equal(null);
    expect((await store.recordFinished(batch.id, jobs[0].id, 'ERROR', '2026-01-01T00:00:01.000Z')).finished).to.deep.equal({ [jobs[0].id]: 'DELIVERED' });
    const [a, b] = await Promise.all([
      store.recordFinished(batch.id, jobs[1].id, 'CANCELLED', '2026-01-01T00:00:02.000Z'),
      store.recordFinished(batch.id, jobs[1].id, 'CANCELLED', '2026-01-01T00:00:03.000Z'),
    ]);
    expect(a.completedAt).to.equal(b.completedAt);
    expect((await store.get(batch.id))?.finished).to.deep.equal({ [jobs[0].id]: 'DELIVERED', [jobs[1].id]: 'CANCELLED' });
  });
});
