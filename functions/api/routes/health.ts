import { z } from 'zod';
import { defineRoute } from '../route';

export const health = defineRoute({
  operationId: 'getHealth',
  method: 'GET',
  path: '/v1/health',
  summary: 'Whether the API is up.',
  tag: 'meta',
  permission: null,
  responses: { 200: { description: 'Up.', schema: z.strictObject({ status: z.literal('ok') }) } },
  async handle() {
    return { status: 200, body: { status: 'ok' } };
  },
});
