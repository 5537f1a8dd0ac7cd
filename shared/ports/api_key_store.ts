import type { ApiKeyRecord } from '../schemas/api_key';

/** API keys by id; the id is derived from the key's hash (shared/domain/auth/api_keys.ts). */
export interface ApiKeyStore {
  /** Stores a new key; resolves false when a key with that id exists already. */
  create(record: ApiKeyRecord): Promise<boolean>;
  get(id: string): Promise<ApiKeyRecord | null>;
  /** The tenant's keys, newest first. */
  list(tenant: string): Promise<ApiKeyRecord[]>;
  /** Marks the tenant's key revoked (once); resolves with the record, or null when the tenant has no such key. */
  revoke(tenant: string, id: string, at: string): Promise<ApiKeyRecord | null>;
}
