/** A document as the DR check compares it: a stable checksum of its canonical JSON, and when it last changed. */
export interface DocumentVersion {
  id: string;
  checksum: string;
  updateTime: Date;
}

/** Reads a document database (the live one, or a restored copy) the way the DR check needs. */
export interface DocumentReader {
  /** The ids of the root collections. */
  collections(): Promise<string[]>;
  /** How many documents `collection` holds, now or as it was at `readTime`. */
  count(collection: string, readTime?: Date): Promise<number>;
  /** Up to `size` document ids of `collection`, drawn at random. */
  sampleIds(collection: string, size: number): Promise<string[]>;
  /** The versions of the documents `ids` that exist, now or at `readTime`, by id. */
  versions(collection: string, ids: string[], readTime?: Date): Promise<Map<string, DocumentVersion>>;
  /** The data of every document whose `field` equals `value`. */
  whereEquals(collection: string, field: string, value: string): Promise<Array<{ id: string; data: unknown }>>;
}

/** One export of the live database into the backups bucket. */
export interface Backup {
  id: string;
  /** Where the export is (a gs:// prefix, or a file: URL of the local export's metadata file). */
  uri: string;
  startedAt: string;
  /** The export holds the database as it was at one moment between these two (the same moment for a snapshot export). */
  consistentFrom: string;
  consistentTo: string;
  completedAt: string;
}

/** A backup restored into a scratch database, readable until closed. */
export interface RestoredCopy {
  reader: DocumentReader;
  close(): Promise<void>;
}

/** Backs the live database up and restores a backup elsewhere: the emulators locally, managed export/import on GCP. */
export interface BackupService {
  readonly live: DocumentReader;
  /** Exports the live database into the backups bucket under `id`. */
  backup(id: string): Promise<Backup>;
  /** Restores `backup` into an empty scratch database. */
  restore(backup: Backup): Promise<RestoredCopy>;
}
