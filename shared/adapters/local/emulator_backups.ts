import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Firestore } from '@google-cloud/firestore';
import type { Backup, BackupService, DocumentReader, RestoredCopy } from '../../ports/disaster_recovery';
import { FirestoreDocumentReader } from '../firestore/firestore_document_reader';

/** A Firestore emulator started for one restore. */
export interface ScratchEmulator {
  host: string;
  stop(): Promise<void>;
}

/** Starts a second Firestore emulator seeded from an export (its metadata file). */
export type ScratchEmulatorLauncher = (exportMetadataFile: string) => Promise<ScratchEmulator>;

export interface EmulatorBackupsOptions {
  projectId: string;
  /** host:port of the live Firestore emulator. */
  liveHost: string;
  /** The local stand-in for the backups bucket. */
  backupsDir: string;
  live: DocumentReader;
  launch: ScratchEmulatorLauncher;
}

/**
 * A Firestore client for the emulator at `host`. The client always prefers FIRESTORE_EMULATOR_HOST (the live
 * emulator) over its settings, and reads it only in its constructor, so the variable is set aside for that call.
 */
export function emulatorClient(host: string, projectId: string): Firestore {
  const live = process.env.FIRESTORE_EMULATOR_HOST;
  delete process.env.FIRESTORE_EMULATOR_HOST;
  try {
    return new Firestore({ projectId, host, ssl: false });
  } finally {
    if (live !== undefined) process.env.FIRESTORE_EMULATOR_HOST = live;
  }
}

async function exportMetadataFile(dir: string): Promise<string> {
  for (const entry of await readdir(dir, { recursive: true })) {
    if (entry.endsWith('.overall_export_metadata')) return path.join(dir, entry);
  }
  throw new Error(`the emulator export in ${dir} has no .overall_export_metadata file`);
}

/**
 * Backups on the emulators: the live emulator's export endpoint writes the export, which is moved into the
 * backups folder whole (a half-written export is never there); a restore starts a second emulator seeded from it.
 */
export class EmulatorBackups implements BackupService {
  readonly live: DocumentReader;

  constructor(private readonly options: EmulatorBackupsOptions) {
    this.live = options.live;
  }

  async backup(id: string): Promise<Backup> {
    const { projectId, liveHost, backupsDir } = this.options;
    const target = path.join(backupsDir, id);
    const partial = path.join(backupsDir, '.partial', id);
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial, { recursive: true });
    const startedAt = new Date();
    const response = await fetch(`http://${liveHost}/emulator/v1/projects/${projectId}:export`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ database: `projects/${projectId}/databases/(default)`, export_directory: partial }),
    });
    if (!response.ok) throw new Error(`the Firestore emulator refused the export (HTTP ${response.status}): ${await response.text()}`);
    const completedAt = new Date();
    await rm(target, { recursive: true, force: true });
    await rename(partial, target);
    return {
      id,
      uri: pathToFileURL(await exportMetadataFile(target)).href,
      startedAt: startedAt.toISOString(),
      // The emulator copies its data at some moment while answering the request.
      consistentFrom: startedAt.toISOString(),
      consistentTo: completedAt.toISOString(),
      completedAt: completedAt.toISOString(),
    };
  }

  async restore(backup: Backup): Promise<RestoredCopy> {
    const emulator = await this.options.launch(fileURLToPath(backup.uri));
    const db = emulatorClient(emulator.host, this.options.projectId);
    return {
      reader: new FirestoreDocumentReader(db),
      close: async () => {
        await db.terminate();
        await emulator.stop();
      },
    };
  }
}
