import type { Readable } from 'node:stream';

/** Where files live: a folder on disk locally, a Cloud Storage bucket on GCP. Keys are relative paths. */
export interface BlobStore {
  /** Copies a local file into the store under `key`; returns the object's URI. */
  putFile(key: string, localPath: string, contentType: string): Promise<string>;
  putBytes(key: string, bytes: Buffer, contentType: string): Promise<string>;
  /** Copies the object to a local file. */
  getFile(key: string, localPath: string): Promise<void>;
  /** Copies an object inside the store; returns the copy's URI. */
  copy(fromKey: string, toKey: string): Promise<string>;
  exists(key: string): Promise<boolean>;
  /** Reads an object as a stream (for answers that pass files on without holding them in memory). */
  openRead(key: string): Readable;
  /** The object's size in bytes. */
  sizeOf(key: string): Promise<number>;
  /** Keys of every object under the folder `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removes every object in the folder `prefix` (a key prefix ending at a slash). */
  deletePrefix(prefix: string): Promise<void>;
  uri(key: string): string;
  /** The key of an object by its URI (what uri() returned), or null when the URI is not one of this store's. */
  keyOf(uri: string): string | null;
}
