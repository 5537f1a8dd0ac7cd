import { apiKeyIdOf, hashApiKey, isWellFormedApiKey, MIN_API_KEY_LENGTH, newApiKey } from '../shared/domain/auth/api_keys';
import type { ApiKeyStore } from '../shared/ports/api_key_store';

/**
 * The local platform's admin key for its tenant: AIPROD_ADMIN_KEY when set (so scripts can keep one), else a new
 * one. Stored hashed like any other key; created again harmlessly on every start.
 */
export async function ensureLocalAdminKey(keys: ApiKeyStore, tenant: string, given: string | undefined, now: Date): Promise<string> {
  if (given !== undefined && !isWellFormedApiKey(given)) {
    throw new Error(`AIPROD_ADMIN_KEY must be ${MIN_API_KEY_LENGTH}-128 characters of letters, digits, _ and -`);
  }
  const key = given ?? newApiKey();
  const hash = hashApiKey(key);
  const id = apiKeyIdOf(hash);
  const existing = await keys.get(id);
  if (existing !== null && (existing.tenant !== tenant || existing.role !== 'admin' || existing.revokedAt !== null)) {
    throw new Error('AIPROD_ADMIN_KEY names a key that is revoked or not the local admin key; choose another');
  }
  if (existing === null) {
    await keys.create({ id, tenant, role: 'admin', name: 'local admin (npm start)', hash, createdAt: now.toISOString(), createdBy: null, revokedAt: null });
  }
  return key;
}
