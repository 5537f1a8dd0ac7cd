import { z } from 'zod';
import { RoleSchema } from './permissions';

/** A tenant id: lowercase letters, digits and dashes, as in a project id. */
export const TenantIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a tenant id: lowercase letters, digits and dashes');

/** Who is calling: a signed-in person (Firebase) or an API key. The tenant comes from the credential only. */
export const PrincipalSchema = z.strictObject({
  kind: z.enum(['user', 'api_key']),
  /** The Firebase uid, or the API key's id. */
  id: z.string().min(1),
  tenant: TenantIdSchema,
  role: RoleSchema,
});
export type Principal = z.infer<typeof PrincipalSchema>;

/** How a principal appears in the audit log and in edit histories. */
export function actorOf(principal: Principal): Principal {
  return { kind: principal.kind, id: principal.id, tenant: principal.tenant, role: principal.role };
}
