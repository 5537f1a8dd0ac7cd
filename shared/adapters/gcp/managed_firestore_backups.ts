import type { Firestore, v1 } from '@google-cloud/firestore';
import type { Backup, BackupService, DocumentReader, RestoredCopy } from '../../ports/disaster_recovery';
import { FirestoreDocumentReader } from '../firestore/firestore_document_reader';

type FirestoreAdminClient = InstanceType<typeof v1.FirestoreAdminClient>;

export interface ManagedFirestoreBackupsOptions {
  admin: FirestoreAdminClient;
  projectId: string;
  /** The live database (what `new Firestore()` connects to). */
  liveDatabase: string;
  /** The backups bucket's name. */
  bucket: string;
  /** A client of the scratch database restores go into. */
  scratch: Firestore;
  scratchDatabase: string;
  live: DocumentReader;
}

/** The latest whole minute before `now`: an export's snapshot time must be in the past and on a minute. */
export function snapshotMinute(now: Date): Date {
  return new Date(Math.floor((now.getTime() - 1) / 60_000) * 60_000);
}

async function emptyDatabase(db: Firestore): Promise<void> {
  for (const collection of await db.listCollections()) await db.recursiveDelete(collection);
}

/**
 * Backups with Firestore's managed export and import: the live database is exported, as one consistent snapshot,
 * into the backups bucket; a restore empties the scratch database and imports the export into it.
 */
export class ManagedFirestoreBackups implements BackupService {
  readonly live: DocumentReader;

  constructor(private readonly options: ManagedFirestoreBackupsOptions) {
    this.live = options.live;
  }

  private database(name: string): string {
    return `projects/${this.options.projectId}/databases/${name}`;
  }

  async backup(id: string): Promise<Backup> {
    const { admin, bucket, liveDatabase } = this.options;
    const startedAt = new Date();
    const snapshot = snapshotMinute(startedAt);
    const [operation] = await admin.exportDocuments({
      name: this.database(liveDatabase),
      outputUriPrefix: `gs://${bucket}/firestore/${id}`,
      snapshotTime: { seconds: Math.floor(snapshot.getTime() / 1000), nanos: 0 },
    });
    const [response] = await operation.promise();
    if (!response.outputUriPrefix) throw new Error(`the export of ${this.database(liveDatabase)} named no output`);
    return {
      id,
      uri: response.outputUriPrefix,
      startedAt: startedAt.toISOString(),
      consistentFrom: snapshot.toISOString(),
      consistentTo: snapshot.toISOString(),
      completedAt: new Date().toISOString(),
    };
  }

  async restore(backup: Backup): Promise<RestoredCopy> {
    const { admin, scratch, scratchDatabase } = this.options;
    // An import merges into what is there: anything a run that died left behind goes first.
    await emptyDatabase(scratch);
    const [operation] = await admin.importDocuments({ name: this.database(scratchDatabase), inputUriPrefix: backup.uri });
    await operation.promise();
    // The copy holds every tenant's data: it is deleted once checked (the client stays, for the next check).
    return { reader: new FirestoreDocumentReader(scratch), close: () => emptyDatabase(scratch) };
  }
}
