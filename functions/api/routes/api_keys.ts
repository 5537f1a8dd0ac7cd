import { z } from 'zod';
import { apiKeyIdOf, hashApiKey, newApiKey } from '../../../shared/domain/auth/api_keys';
import { RoleSchema } from '../../../shared/domain/auth/permissions';
import { PrincipalSchema } from '../../../shared/domain/auth/principal';
import type { ApiKeyRecord } from '../../../shared/schemas/api_key';
import { HttpError } from '../http_error';
import { callerOf, recordAudit } from '../job_access';
import { defineRoute } from '../route';

const ApiKeyViewSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    role: RoleSchema,
    createdAt: z.string(),
    createdBy: PrincipalSchema.nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' });

/** A key as listed: never its hash. */
function keyView({ id, name, role, createdAt, createdBy, revokedAt }: ApiKeyRecord) {
  return { id, name, role, createdAt, createdBy, revokedAt };
}

const KeyParamsSchema = z.strictObject({ keyId: z.string().regex(/^key_[0-9a-f]{24}$/) });

export const createApiKey = defineRoute({
  operationId: 'createApiKey',
  method: 'POST',
  path: '/v1/api-keys',
  summary: 'Create an API key for this tenant; the key is in this answer only and is stored hashed.',
  tag: 'access',
  permission: 'manage:users',
  body: z.strictObject({ name: z.string().trim().min(1).max(80), role: RoleSchema }),
  responses: {
    201: { description: 'The new key: keep `key`, it is never shown again.', schema: ApiKeyViewSchema.extend({ key: z.string() }).meta({ id: 'NewApiKey' }) },
  },
  async handle(request) {
    const { runtime, body } = request;
    const principal = callerOf(request);
    const key = newApiKey();
    const hash = hashApiKey(key);
    const record: ApiKeyRecord = {
      id: apiKeyIdOf(hash),
      tenant: principal.tenant,
      role: body.role,
      name: body.name,
      hash,
      createdAt: runtime.clock().toISOString(),
      createdBy: principal,
      revokedAt: null,
    };
    // 256 random bits: an id collision means a broken random source, not bad luck.
    if (!(await runtime.apiKeys.create(record))) throw new Error('generated API key collided with an existing one');
    await recordAudit(request, 'api_key.created', { type: 'api_key', id: record.id }, { role: record.role, name: record.name });
    return { status: 201, body: { ...keyView(record), key } };
  },
});

export const listApiKeys = defineRoute({
  operationId: 'listApiKeys',
  method: 'GET',
  path: '/v1/api-keys',
  summary: "The tenant's API keys, revoked ones included; never the keys themselves.",
  tag: 'access',
  permission: 'manage:users',
  responses: { 200: { description: 'Every key of the tenant, newest first.', schema: z.strictObject({ items: z.array(ApiKeyViewSchema) }) } },
  async handle(request) {
    const keys = await request.runtime.apiKeys.list(callerOf(request).tenant);
    return { status: 200, body: { items: keys.map(keyView) } };
  },
});

export const revokeApiKey = defineRoute({
  operationId: 'revokeApiKey',
  method: 'DELETE',
  path: '/v1/api-keys/{keyId}',
  summary: 'Revoke an API key; requests with it are refused from now on.',
  tag: 'access',
  permission: 'manage:users',
  params: KeyParamsSchema,
  responses: { 200: { description: 'The key, revoked (revoking twice is harmless).', schema: ApiKeyViewSchema } },
  async handle(request) {
    const { runtime, params } = request;
    const principal = callerOf(request);
    const before = await runtime.apiKeys.get(params.keyId);
    const revoked = await runtime.apiKeys.revoke(principal.tenant, params.keyId, runtime.clock().toISOString());
    if (revoked === null) throw new HttpError(404, 'not_found', `no API key ${params.keyId}`);
    if (before?.revokedAt === null) await recordAudit(request, 'api_key.revoked', { type: 'api_key', id: revoked.id }, { name: revoked.name });
    return { status: 200, body: keyView(revoked) };
  },
});
