import type { Firestore } from '@google-cloud/firestore';
import type { ApiKeyStore } from '../../ports/api_key_store';
import { ApiKeyRecordSchema, type ApiKeyRecord } from '../../schemas/api_key';

const ALREADY_EXISTS = 6;

/** API keys in the `api_keys` collection, one document per key, named by the key's id. */
export class FirestoreApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly db: Firestore,
    private readonly collection = 'api_keys',
  ) {}

  async create(record: ApiKeyRecord): Promise<boolean> {
    try {
      await this.db.collection(this.collection).doc(record.id).create(ApiKeyRecordSchema.parse(record));
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === ALREADY_EXISTS) return false;
      throw error;
    }
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    const snapshot = await this.db.collection(this.collection).doc(id).get();
    return snapshot.exists ? ApiKeyRecordSchema.parse(snapshot.data()) : null;
  }

  async list(tenant: string): Promise<ApiKeyRecord[]> {
    const snapshot = await this.db.collection(this.collection).where('tenant', '==', tenant).orderBy('createdAt', 'desc').get();
    return snapshot.docs.map((doc) => ApiKeyRecordSchema.parse(doc.data()));
  }

  revoke(tenant: string, id: string, at: string): Promise<ApiKeyRecord | null> {
    const ref = this.db.collection(this.collection).doc(id);
    return this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      if (!snapshot.exists) return null;
      const record = ApiKeyRecordSchema.parse(snapshot.data());
      if (record.tenant !== tenant) return null;
      if (record.revokedAt !== null) return record;
      const revoked = { ...record, revokedAt: at };
      tx.set(ref, revoked);
      return revoked;
    });
  }
}
