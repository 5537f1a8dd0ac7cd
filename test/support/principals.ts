import { apiKeyIdOf, hashApiKey, newApiKey } from '../../shared/domain/auth/api_keys';
import { ROLES, type Role } from '../../shared/domain/auth/permissions';
import { ApiClient } from './api_client';
import type { TestPlatform } from './root_hooks';

/** A second tenant, to prove one tenant never reaches another's things. */
export const OTHER_TENANT = 'rival-agency';

export type Callers = Record<'own' | 'other', Record<Role, ApiClient>>;

/** Stores a new API key directly (as an admin would make one), returning the key. */
export async function makeApiKey(platform: TestPlatform, tenant: string, role: Role, name = `${role} test key`): Promise<string> {
  const key = newApiKey();
  const hash = hashApiKey(key);
  await platform.runtime.apiKeys.create({ id: apiKeyIdOf(hash), tenant, role, name, hash, createdAt: new Date().toISOString(), createdBy: null, revokedAt: null });
  return key;
}

let callers: Promise<Callers> | null = null;

/** One API client per role in the platform's tenant and in another tenant, made once per run. */
export function callersOf(platform: TestPlatform): Promise<Callers> {
  callers ??= (async () => {
    const clientsOf = async (tenant: string) =>
      Object.fromEntries(await Promise.all(ROLES.map(async (role) => [role, new ApiClient(platform.apiUrl, { apiKey: await makeApiKey(platform, tenant, role) })]))) as Record<Role, ApiClient>;
    return { own: await clientsOf(platform.tenant), other: await clientsOf(OTHER_TENANT) };
  })();
  return callers;
}

/** The local tenant's admin, with the key the platform made at start. */
export function adminClient(platform: TestPlatform): ApiClient {
  return new ApiClient(platform.apiUrl, { apiKey: platform.adminKey });
}
