import type { Readable } from 'node:stream';
import type { Bucket } from '@google-cloud/storage';
import type { BlobStore } from '../../ports/blob_store';

/** Objects in one Cloud Storage bucket. */
export class GcsBlobStore implements BlobStore {
  constructor(private readonly bucket: Bucket) {}

  async putFile(key: string, localPath: string, contentType: string): Promise<string> {
    await this.bucket.upload(localPath, { destination: key, contentType, resumable: false });
    return this.uri(key);
  }

  async putBytes(key: string, bytes: Buffer, contentType: string): Promise<string> {
    await this.bucket.file(key).save(bytes, { contentType, resumable: false });
    return this.uri(key);
  }

  async copy(fromKey: string, toKey: string): Promise<string> {
    await this.bucket.file(fromKey).copy(this.bucket.file(toKey));
    return this.uri(toKey);
  }

  async getFile(key: string, localPath: string): Promise<void> {
    await this.bucket.file(key).download({ destination: localPath });
  }

  async exists(key: string): Promise<boolean> {
    const [exists] = await this.bucket.file(key).exists();
    return exists;
  }

  async sizeOf(key: string): Promise<number> {
    const [metadata] = await this.bucket.file(key).getMetadata();
    return Number(metadata.size);
  }

  openRead(key: string): Readable {
    return this.bucket.file(key).createReadStream();
  }

  async list(prefix: string): Promise<string[]> {
    const [files] = await this.bucket.getFiles({ prefix: prefix.endsWith('/') ? prefix : `${prefix}/` });
    return files.map((file) => file.name).sort();
  }

  async deletePrefix(prefix: string): Promise<void> {
    await this.bucket.deleteFiles({ prefix: prefix.endsWith('/') ? prefix : `${prefix}/` });
  }

  uri(key: string): string {
    return `gs://${this.bucket.name}/${key}`;
  }

  keyOf(uri: string): string | null {
    const prefix = `gs://${this.bucket.name}/`;
    return uri.startsWith(prefix) && uri.length > prefix.length ? uri.slice(prefix.length) : null;
  }
}
