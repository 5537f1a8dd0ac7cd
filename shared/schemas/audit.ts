import { z } from 'zod';
import { PrincipalSchema, TenantIdSchema } from '../domain/auth/principal';

/** One append-only audit entry: who did what to which thing, and when. */
export const AuditEntrySchema = z.strictObject({
  id: z.string(),
  at: z.iso.datetime(),
  tenant: TenantIdSchema,
  /** Null for what the platform did on its own (local set-up, say). */
  actor: PrincipalSchema.nullable(),
  action: z.string().regex(/^[a-z_]+\.[a-z_]+$/),
  target: z.strictObject({ type: z.string(), id: z.string() }).nullable(),
  requestId: z.string().nullable(),
  /** Small facts about the action (a new state, a key's name); never a brief's content or a secret. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
