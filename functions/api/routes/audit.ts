import { z } from 'zod';
import { AuditEntrySchema } from '../../../shared/schemas/audit';
import { callerOf } from '../job_access';
import { pageAt, pageLimit } from '../query_params';
import { defineRoute } from '../route';
import { pageSchema } from '../views';

export const listAudit = defineRoute({
  operationId: 'listAuditEntries',
  method: 'GET',
  path: '/v1/audit',
  summary: "The tenant's audit log, newest first: who did what to which job, key or member.",
  tag: 'audit',
  permission: 'view:audit_log',
  query: z.strictObject({
    limit: pageLimit(200, 50),
    cursor: z.string().regex(/^audit_[0-9a-f]{32}$/).optional(),
    action: z.string().regex(/^[a-z_]+\.[a-z_]+$/).optional(),
    target: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/).optional().meta({ description: 'id of a job, key or member' }),
  }),
  responses: { 200: { description: 'One page of entries.', schema: pageSchema(AuditEntrySchema.meta({ id: 'AuditEntry' })).meta({ id: 'AuditPage' }) } },
  async handle(request) {
    const { runtime, query } = request;
    const page = await pageAt(runtime.audit.list({ tenant: callerOf(request).tenant, limit: query.limit, after: query.cursor, action: query.action, targetId: query.target }));
    return { status: 200, body: { items: page.items, nextCursor: page.next } };
  },
});
