import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { Firestore, v1 } from '@google-cloud/firestore';
import { FirestoreDocumentReader } from '../../../../shared/adapters/firestore/firestore_document_reader';
import { ManagedFirestoreBackups, snapshotMinute } from '../../../../shared/adapters/gcp/managed_firestore_backups';
import { FakeFirestoreAdmin } from '../../../support/fake_firestore_admin';
import { rejectionOf } from '../../../support/rejection';
import { testPlatform } from '../../../support/root_hooks';

const SCRATCH = 'aiprod-dr-scratch-test';

describe('ManagedFirestoreBackups with the real Firestore Admin client against a local gRPC server', () => {
  const collection = `managed_probe_${Date.now()}`;
  let live: Firestore;
  let scratch: Firestore;
  let admin: InstanceType<typeof v1.FirestoreAdminClient>;
  let fake: FakeFirestoreAdmin;
  let failNext: string | null = null;
  let backups: ManagedFirestoreBackups;
  let projectId: string;

  before(async () => {
    const platform = await testPlatform();
    projectId = platform.projectId;
    live = new Firestore({ projectId: platform.projectId });
    scratch = new Firestore({ projectId: platform.projectId, databaseId: SCRATCH });
    fake = new FakeFirestoreAdmin({
      ExportDocuments: async (request) => {
        if (failNext !== null) throw new Error(failNext);
        return { outputUriPrefix: request.outputUriPrefix };
      },
      // What an import of the export does: the live documents appear in the scratch database.
      ImportDocuments: async () => {
        for (const doc of (await live.collection(collection).get()).docs) await scratch.collection(collection).doc(doc.id).set(doc.data());
        return {};
      },
    });
    const port = await fake.start();
    admin = new v1.FirestoreAdminClient({ apiEndpoint: '127.0.0.1', port, sslCreds: grpc.credentials.createInsecure(), projectId: platform.projectId });
    backups = new ManagedFirestoreBackups({
      admin,
      projectId: platform.projectId,
      liveDatabase: '(default)',
      bucket: 'aiprod-backups',
      scratch,
      scratchDatabase: SCRATCH,
      live: new FirestoreDocumentReader(live),
    });
  });
  after(async () => {
    await admin.close();
    await fake.stop();
    await Promise.all([live.terminate(), scratch.terminate()]);
  });

  it('rounds the snapshot down to a past whole minute', () => {
    expect(snapshotMinute(new Date('2030-01-01T10:17:42.5Z')).toISOString()).to.equal('2030-01-01T10:17:00.000Z');
    expect(snapshotMinute(new Date('2030-01-01T10:17:00.000Z')).toISOString()).to.equal('2030-01-01T10:16:00.000Z');
  });

  it('exports the live database as one snapshot into the backups bucket and waits for the operation', async () => {
    const before = Date.now();
    const backup = await backups.backup('dr-1');
    const [{ method, request }] = fake.requests.slice(-1);
    expect(method).to.equal('ExportDocuments');
    expect(request).to.include({ name: `projects/${projectId}/databases/(default)`, outputUriPrefix: 'gs://aiprod-backups/firestore/dr-1' });
    const seconds = Number((request.snapshotTime as { seconds: string }).seconds);
    expect(seconds % 60).to.equal(0);
    expect(seconds * 1000).to.be.below(before).and.above(before - 61_000);
    expect(backup).to.include({ id: 'dr-1', uri: 'gs://aiprod-backups/firestore/dr-1' });
    expect(backup.consistentFrom).to.equal(new Date(seconds * 1000).toISOString()).and.equal(backup.consistentTo);
  });

  it('empties the scratch database, imports the export into it, and empties it again on close', async () => {
    await live.collection(collection).doc('a').set({ n: 1 });
    await live.collection(collection).doc('b').set({ n: 2 });
    await scratch.collection('leftover').doc('x').set({ stale: true });
    const backup = await backups.backup('dr-2');
    const restored = await backups.restore(backup);
    try {
      const [{ method, request }] = fake.requests.slice(-1);
      expect(method).to.equal('ImportDocuments');
      expect(request).to.include({ name: `projects/${projectId}/databases/${SCRATCH}`, inputUriPrefix: backup.uri });
      expect(await restored.reader.collections()).to.deep.equal([collection]);
      expect(await restored.reader.count(collection)).to.equal(2);
      const copies = await restored.reader.versions(collection, ['a', 'b']);
      const originals = await backups.live.versions(collection, ['a', 'b']);
      expect(copies.get('a')?.checksum).to.equal(originals.get('a')?.checksum);
    } finally {
      await restored.close();
    }
    expect((await scratch.listCollections()).map((c) => c.id)).to.deep.equal([]);
  });

  it("fails with the operation's error when the export fails", async () => {
    failNext = 'The caller does not have permission to write to the bucket';
    try {
      const error = await rejectionOf(backups.backup('dr-3'));
      expect(error.message).to.include('does not have permission');
    } finally {
      failNext = null;
    }
  });
});
