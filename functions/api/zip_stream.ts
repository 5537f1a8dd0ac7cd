import { PassThrough, type Readable } from 'node:stream';
import { Zip, ZipPassThrough } from 'fflate';

export interface ZipEntry {
  name: string;
  /** Read when the entry's turn comes, so only one file is open at a time. */
  open(): Readable | Promise<Readable>;
}

/**
 * A ZIP archive written as it is read: entries are stored (videos and images are compressed already), one after
 * another, so an archive of large videos never sits in memory.
 */
export function zipStream(entries: readonly ZipEntry[]): Readable {
  const out = new PassThrough();
  const zip = new Zip((error, chunk, final) => {
    if (error) {
      out.destroy(error);
      return;
    }
    out.write(chunk);
    if (final) out.end();
  });
  void (async () => {
    try {
      for (const entry of entries) {
        const file = new ZipPassThrough(entry.name);
        zip.add(file);
        for await (const chunk of await entry.open()) {
          file.push(chunk as Uint8Array);
          // Let the reader catch up before reading more.
          if (out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
        }
        file.push(new Uint8Array(0), true);
      }
      zip.end();
    } catch (error) {
      out.destroy(error as Error);
    }
  })();
  return out;
}
