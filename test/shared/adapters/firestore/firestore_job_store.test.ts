import { expect } from 'chai';
import { Firestore } from '@google-cloud/firestore';
import { FirestoreJobStore } from '../../../../shared/adapters/firestore/firestore_job_store';
import { validateBrief } from '../../../../shared/domain/brief_validation';
import { newJob } from '../../../../shared/domain/new_job';
import { JobExistsError, JobNotFoundError } from '../../../../shared/ports/job_store';
import type { Job } from '../../../../shared/schemas/job';
import { shortBrief } from '../../../support/fixtures';
import { testPlatform } from '../../../support/root_hooks';
import { rejectionOf } from '../../../support/rejection';

function freshJob(): Job {
  const validation = validateBrief(shortBrief());
  if (!validation.ok) throw new Error('fixture invalid');
  return newJob({ id: `job_${Math.random().toString(16).slice(2).padEnd(32, '0').slice(0, 32)}`, tenant: 'store-test', brief: validation.brief, createdBy: null }, new Date());
}

describe('FirestoreJobStore on the Firestore emulator', () => {
  let db: Firestore;
  let store: FirestoreJobStore;

  before(async () => {
    const platform = await testPlatform();
    db = new Firestore({ projectId: platform.projectId });
    store = new FirestoreJobStore(db, 'store_test_jobs');
  });
  after(() => db.terminate());

  it('writes a job and reads back the same document', async () => {
    const job = freshJob();
    await store.create(job);
    expect(await store.get(job.id)).to.deep.equal(job);
  });

  it('refuses to create a job twice', async () => {
    const job = freshJob();
    await store.create(job);
    const error = await rejectionOf(store.create(job));
    expect(error).to.be.instanceOf(JobExistsError);
  });

  it('answers null for a missing job and refuses to update it', async () => {
    expect(await store.get('job_missing')).to.equal(null);
    const error = await rejectionOf(store.update('job_missing', (job) => ({ job, result: 1 })));
    expect(error).to.be.instanceOf(JobNotFoundError);
  });

  it('loses no update when ten writers race on one job', async () => {
    const job = freshJob();
    await store.create(job);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.update(job.id, (current) => ({
          job: { ...current, costLedger: [...current.costLedger, { stage: 'RENDERING', item: `w${i}`, units: 1, unit: 'u', unitPriceUsd: 0, costUsd: 0, eventId: 'e' }] },
          result: undefined,
        })),
      ),
    );
    const after = await store.get(job.id);
    expect(after?.costLedger.map((e) => e.item)).to.have.members(Array.from({ length: 10 }, (_, i) => `w${i}`));
  });

  it('leaves the job untouched when the mutation returns null, and passes errors through', async () => {
    const job = freshJob();
    await store.create(job);
    expect(await store.update(job.id, () => ({ job: null, result: 'kept' }))).to.equal('kept');
    const error = await rejectionOf(
      store.update(job.id, () => {
        throw new Error('refused');
      }),
    );
    expect(error.message).to.equal('refused');
    expect(await store.get(job.id)).to.deep.equal(job);
  });

  it('streams each new version of a job to a listener', async () => {
    const job = freshJob();
    await store.create(job);
    const seen: string[] = [];
    let firstSeen: () => void = () => undefined;
    const first = new Promise<void>((resolve) => (firstSeen = resolve));
    const done = new Promise<void>((resolve, reject) => {
      const stop = store.watch(
        job.id,
        (version) => {
          seen.push(version.updatedAt);
          firstSeen();
          if (version.updatedAt === '2030-01-01T00:00:00.000Z') {
            stop();
            resolve();
          }
        },
        reject,
      );
    });
    await first;
    await store.update(job.id, (current) => ({ job: { ...current, updatedAt: '2030-01-01T00:00:00.000Z' }, result: undefined }));
    await done;
    expect(seen[0]).to.equal(job.updatedAt);
    expect(seen.at(-1)).to.equal('2030-01-01T00:00:00.000Z');
  });
});
