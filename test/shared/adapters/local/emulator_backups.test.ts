import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Firestore } from '@google-cloud/firestore';
import { startEmulator } from '../../../../local/emulators';
import { FirestoreDocumentReader } from '../../../../shared/adapters/firestore/firestore_document_reader';
import { EmulatorBackups } from '../../../../shared/adapters/local/emulator_backups';
import { testPlatform } from '../../../support/root_hooks';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('EmulatorBackups on the Firestore emulator', () => {
  let dir: string;
  let db: Firestore;
  const started: number[] = [];
  let backups: EmulatorBackups;
  const collection = `backup_probe_${Date.now()}`;

  before(async () => {
    const platform = await testPlatform();
    dir = mkdtempSync(path.join(tmpdir(), 'aiprod-backups-'));
    db = new Firestore({ projectId: platform.projectId });
    const config = platform.runtime.config;
    if (config.mode !== 'local') throw new Error('the test platform runs locally');
    backups = new EmulatorBackups({
      projectId: platform.projectId,
      liveHost: config.firestoreEmulatorHost,
      backupsDir: dir,
      live: new FirestoreDocumentReader(db),
      launch: async (exportFile) => {
        const emulator = await startEmulator('firestore', dir, [`--import-data=${exportFile}`]);
        started.push(emulator.pid);
        return emulator;
      },
    });
  });
  after(async () => {
    await db.terminate();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores an export into a second emulator that holds the same documents, and stops it by PID on close', async () => {
    await Promise.all([1, 2, 3].map((i) => db.collection(collection).doc(`d${i}`).set({ i, nested: { at: new Date(0), list: [i, 'x'] } })));
    const backup = await backups.backup('probe-1');
    await db.collection(collection).doc('d4').set({ i: 4 }); // after the export: not in the copy
    await db.collection(collection).doc('d1').set({ i: 100 });

    const restored = await backups.restore(backup);
    try {
      expect(await restored.reader.count(collection)).to.equal(3);
      const ids = await restored.reader.sampleIds(collection, 10);
      expect(ids).to.have.members(['d1', 'd2', 'd3']);
      const copies = await restored.reader.versions(collection, ids);
      const live = new FirestoreDocumentReader(db);
      const atExport = await live.versions(collection, ids, new Date(backup.consistentTo));
      for (const id of ids) expect(copies.get(id)?.checksum, id).to.equal(atExport.get(id)?.checksum);
      expect((await live.versions(collection, ['d1'])).get('d1')?.checksum, 'changed since').not.to.equal(copies.get('d1')?.checksum);
      expect(await live.count(collection, new Date(backup.consistentTo))).to.equal(3);
      expect(await live.count(collection)).to.equal(4);
    } finally {
      await restored.close();
    }
    expect(started).to.have.length(1);
    expect(alive(started[0]), 'the scratch emulator is stopped').to.equal(false);
  });

  it('keeps only whole exports in the backups folder', async () => {
    const backup = await backups.backup('probe-2');
    expect(backup.uri).to.match(/^file:.*\/probe-2\/.*\.overall_export_metadata$/);
    expect(Date.parse(backup.consistentFrom)).to.be.at.most(Date.parse(backup.consistentTo));
    expect(readdirSync(path.join(dir, '.partial'))).to.deep.equal([]);
  });
});
