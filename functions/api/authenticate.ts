import type { IncomingHttpHeaders } from 'node:http';
import { apiKeyIdOf, hashApiKey, hashesMatch, isWellFormedApiKey } from '../../shared/domain/auth/api_keys';
import { RoleSchema } from '../../shared/domain/auth/permissions';
import { TenantIdSchema, type Principal } from '../../shared/domain/auth/principal';
import { InvalidTokenError } from '../../shared/ports/identity';
import type { Runtime } from '../runtime';
import { HttpError } from './http_error';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="aiprod", ApiKey header="X-API-Key"' };

function unauthenticated(message: string): HttpError {
  return new HttpError(401, 'unauthenticated', message, undefined, CHALLENGE);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function principalOfKey(runtime: Runtime, key: string): Promise<Principal> {
  if (!isWellFormedApiKey(key)) throw unauthenticated('the API key is not valid');
  const hash = hashApiKey(key);
  const record = await runtime.apiKeys.get(apiKeyIdOf(hash));
  if (record === null || !hashesMatch(record.hash, hash)) throw unauthenticated('the API key is not valid');
  if (record.revokedAt !== null) throw unauthenticated('the API key has been revoked');
  return { kind: 'api_key', id: record.id, tenant: record.tenant, role: record.role };
}

async function principalOfToken(runtime: Runtime, token: string): Promise<Principal> {
  let identity;
  try {
    identity = await runtime.identity.verify(token);
  } catch (error) {
    if (error instanceof InvalidTokenError) throw unauthenticated('the sign-in token is not valid or has expired; sign in again');
    throw error;
  }
  const tenant = TenantIdSchema.safeParse(identity.tenant);
  const role = RoleSchema.safeParse(identity.role);
  if (!tenant.success || !role.success) {
    throw new HttpError(403, 'no_membership', 'you are signed in but belong to no tenant yet; ask a tenant admin to add you');
  }
  return { kind: 'user', id: identity.uid, tenant: tenant.data, role: role.data };
}

/**
 * Who is calling: an API key (X-API-Key) or a Firebase ID token (Authorization: Bearer). The tenant and role come
 * from the credential alone, never from anything else in the request.
 */
export async function authenticate(runtime: Runtime, headers: IncomingHttpHeaders): Promise<Principal> {
  const key = single(headers['x-api-key']);
  const authorization = single(headers.authorization);
  if (key !== undefined && authorization !== undefined) throw unauthenticated('send either an API key or a sign-in token, not both');
  if (key !== undefined) return principalOfKey(runtime, key.trim());
  if (authorization === undefined) throw unauthenticated('sign in (Authorization: Bearer <Firebase ID token>) or send an API key (X-API-Key)');
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (bearer === null) throw unauthenticated('the Authorization header must be "Bearer <Firebase ID token>"');
  return principalOfToken(runtime, bearer[1]);
}
