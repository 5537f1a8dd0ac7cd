import { z } from 'zod';
import { PrincipalSchema, TenantIdSchema } from '../domain/auth/principal';
import { StateSchema } from '../stages';

/** Jobs submitted together; complete once every one of them has finished. */
export const BatchSchema = z.strictObject({
  id: z.string().regex(/^batch_[0-9a-f]{32}$/),
  tenant: TenantIdSchema,
  jobIds: z.array(z.string()).min(1),
  createdAt: z.iso.datetime(),
  createdBy: PrincipalSchema.nullable(),
  /** The final state of each job that has finished, by job id. */
  finished: z.record(z.string(), StateSchema),
  completedAt: z.iso.datetime().nullable(),
});
export type Batch = z.infer<typeof BatchSchema>;
