import { randomInt } from 'node:crypto';
import { Timestamp, type Firestore, type Transaction } from '@google-cloud/firestore';
import type { DocumentReader, DocumentVersion } from '../../ports/disaster_recovery';
import { documentChecksum } from './canonical_document';

/** A Firestore database (live or restored) read for the DR check; reads "at" a time run in a read-only transaction. */
export class FirestoreDocumentReader implements DocumentReader {
  constructor(private readonly db: Firestore) {}

  async collections(): Promise<string[]> {
    return (await this.db.listCollections()).map((collection) => collection.id).sort();
  }

  count(collection: string, readTime?: Date): Promise<number> {
    return this.reading(readTime, async (tx) => {
      const query = this.db.collection(collection).count();
      const snapshot = tx === null ? await query.get() : await tx.get(query);
      return snapshot.data().count;
    });
  }

  async sampleIds(collection: string, size: number): Promise<string[]> {
    // Ids only (an empty field mask), then a partial Fisher-Yates shuffle: every document is as likely to be drawn.
    const ids = (await this.db.collection(collection).select().get()).docs.map((doc) => doc.id);
    for (let i = 0; i < Math.min(size, ids.length); i++) {
      const j = randomInt(i, ids.length);
      [ids[i], ids[j]] = [ids[j], ids[i]];
    }
    return ids.slice(0, size);
  }

  versions(collection: string, ids: string[], readTime?: Date): Promise<Map<string, DocumentVersion>> {
    if (ids.length === 0) return Promise.resolve(new Map());
    return this.reading(readTime, async (tx) => {
      const refs = ids.map((id) => this.db.collection(collection).doc(id));
      const snapshots = tx === null ? await this.db.getAll(...refs) : await tx.getAll(...refs);
      const found = snapshots.filter((snapshot) => snapshot.exists);
      return new Map(found.map((snapshot) => [snapshot.id, { id: snapshot.id, checksum: documentChecksum(snapshot.data()!), updateTime: snapshot.updateTime!.toDate() }]));
    });
  }

  async whereEquals(collection: string, field: string, value: string): Promise<Array<{ id: string; data: unknown }>> {
    const snapshot = await this.db.collection(collection).where(field, '==', value).get();
    return snapshot.docs.map((doc) => ({ id: doc.id, data: doc.data() }));
  }

  private reading<T>(readTime: Date | undefined, read: (tx: Transaction | null) => Promise<T>): Promise<T> {
    if (readTime === undefined) return read(null);
    return this.db.runTransaction((tx) => read(tx), { readOnly: true, readTime: Timestamp.fromDate(readTime) });
  }
}
