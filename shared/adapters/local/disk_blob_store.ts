import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, rm, stat, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Readable } from 'node:stream';
import type { BlobStore } from '../../ports/blob_store';

/** Files under one folder on disk, standing in for a Cloud Storage bucket. */
export class DiskBlobStore implements BlobStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** Resolves a key inside the root; a key that climbs out of it is refused. */
  private pathOf(key: string): string {
    const resolved = path.resolve(this.root, key);
    if (!resolved.startsWith(this.root + path.sep)) throw new Error(`blob key escapes the store: ${key}`);
    return resolved;
  }

  /** Writes through a temporary name so a reader never sees half a file. */
  private async place(key: string, write: (tmp: string) => Promise<void>): Promise<string> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.${Date.now()}.partial`;
    await write(tmp);
    await rename(tmp, target);
    return this.uri(key);
  }

  putFile(key: string, localPath: string, _contentType?: string): Promise<string> {
    return this.place(key, (tmp) => copyFile(localPath, tmp));
  }

  putBytes(key: string, bytes: Buffer, _contentType?: string): Promise<string> {
    return this.place(key, (tmp) => writeFile(tmp, bytes));
  }

  copy(fromKey: string, toKey: string): Promise<string> {
    return this.place(toKey, (tmp) => copyFile(this.pathOf(fromKey), tmp));
  }

  async getFile(key: string, localPath: string): Promise<void> {
    await mkdir(path.dirname(localPath), { recursive: true });
    await copyFile(this.pathOf(key), localPath);
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch {
      return false;
    }
  }

  async sizeOf(key: string): Promise<number> {
    return (await stat(this.pathOf(key))).size;
  }

  openRead(key: string): Readable {
    return createReadStream(this.pathOf(key));
  }

  async list(prefix: string): Promise<string[]> {
    const folder = this.pathOf(prefix);
    let entries;
    try {
      entries = await readdir(folder, { recursive: true, withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return entries
      .filter((entry) => entry.isFile() && !entry.name.endsWith('.partial'))
      .map((entry) => path.relative(this.root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
      .sort();
  }

  async deletePrefix(prefix: string): Promise<void> {
    await rm(this.pathOf(prefix), { recursive: true, force: true });
  }

  uri(key: string): string {
    return pathToFileURL(this.pathOf(key)).href;
  }

  keyOf(uri: string): string | null {
    if (!uri.startsWith('file:')) return null;
    const relative = path.relative(this.root, fileURLToPath(uri));
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
    return relative.split(path.sep).join('/');
  }

  /** The local path of a key, for tools that read files directly. */
  localPath(key: string): string {
    return this.pathOf(key);
  }
}
