import { z } from 'zod';
import { RoleSchema } from '../domain/auth/permissions';
import { PrincipalSchema, TenantIdSchema } from '../domain/auth/principal';

/** An API key as stored: never the key itself, only its SHA-256. */
export const ApiKeyRecordSchema = z.strictObject({
  id: z.string().regex(/^key_[0-9a-f]{24}$/),
  tenant: TenantIdSchema,
  role: RoleSchema,
  name: z.string().min(1).max(80),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.iso.datetime(),
  createdBy: PrincipalSchema.nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type ApiKeyRecord = z.infer<typeof ApiKeyRecordSchema>;
