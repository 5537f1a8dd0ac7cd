// Every route of the API: the single source for routing, permissions, the OpenAPI document and the
// authorisation-matrix test.
import { openApiDocument } from './openapi';
import { defineRoute, type Route } from './route';
import { createApiKey, listApiKeys, revokeApiKey } from './routes/api_keys';
import { approveJob, rejectJob } from './routes/approval';
import { listAudit } from './routes/audit';
import { createBatch, getBatch } from './routes/batches';
import { estimateBrief, getBudgetSettings, setBudgetSettings } from './routes/budget';
import { exportJob, exportJobs } from './routes/exports';
import { health } from './routes/health';
import { getJobLog } from './routes/job_logs';
import { cancelJob, createJob, eraseJob, getJob, listJobs } from './routes/jobs';
import { editManifest, getManifest } from './routes/manifest';
import { getMember, removeMember, setMemberRole } from './routes/members';
import { getPreset, listPresets } from './routes/presets';
import { getUsage } from './routes/usage';
import { createWebhook, deleteWebhook, listWebhookDeliveries, listWebhooks, testWebhook } from './routes/webhooks';

export const API_VERSION = '1.0.0';

const APPLICATION_ROUTES: Route[] = [
  health,
  listPresets,
  getPreset,
  createJob,
  createBatch,
  listJobs,
  getJob,
  getJobLog,
  cancelJob,
  eraseJob,
  getManifest,
  editManifest,
  approveJob,
  rejectJob,
  exportJob,
  exportJobs,
  getBatch,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  setMemberRole,
  getMember,
  removeMember,
  listAudit,
  getUsage,
  createWebhook,
  listWebhooks,
  deleteWebhook,
  testWebhook,
  listWebhookDeliveries,
  estimateBrief,
  getBudgetSettings,
  setBudgetSettings,
];

let document: Record<string, unknown> | null = null;

const openApi = defineRoute({
  operationId: 'getOpenApiDocument',
  method: 'GET',
  path: '/v1/openapi.json',
  summary: 'The OpenAPI 3.1 document of this API, made from the route table and its zod schemas.',
  tag: 'meta',
  permission: null,
  responses: { 200: { description: 'The OpenAPI 3.1 document of this API.', contentTypes: ['application/json'] } },
  async handle() {
    document ??= openApiDocument(ROUTES, API_VERSION);
    return { status: 200, body: document };
  },
});

export const ROUTES: readonly Route[] = [...APPLICATION_ROUTES, openApi];
