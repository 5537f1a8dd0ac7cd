import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { FieldValue, Firestore } from '@google-cloud/firestore';
import { ROUTES } from '../../../functions/api/routes';
import { apiKeyIdOf, hashApiKey } from '../../../shared/domain/auth/api_keys';
import { roleHas, ROLES } from '../../../shared/domain/auth/permissions';
import { MAX_MONTHLY_USD } from '../../../shared/schemas/tenant';
import { ApiClient } from '../../support/api_client';
import { shortBrief } from '../../support/fixtures';
import { signUp } from '../../support/firebase_users';
import { jobInState } from '../../support/job_fixtures';
import { callersOf, makeApiKey, OTHER_TENANT, type Callers } from '../../support/principals';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';
import { deleteAllWebhooks, storedWebhook } from '../../support/webhook_fixtures';

interface Call {
  path: string;
  body?: unknown;
}

interface Scenario {
  /** Whether the route names one thing of the owning tenant (another tenant must get 404 for it). */
  ownsResource: boolean;
  /** The status an allowed caller gets. */
  allowed: number;
  /** Makes fresh fixtures in `tenant` and the call that acts on them. */
  prepare(platform: TestPlatform, tenant: string): Promise<Call>;
}

/** A brief that stops at approval, so creating jobs here renders nothing. */
const waitingBrief = () => shortBrief({ preset: 'brand_campaign' });
const job = (state: Parameters<typeof jobInState>[2], suffix = '') => async (platform: TestPlatform, tenant: string) => ({
  path: `/v1/jobs/${(await jobInState(platform, tenant, state)).id}${suffix}`,
});
const fixed = (path: string, body?: unknown) => async () => ({ path, body });
const member = async (platform: TestPlatform, tenant: string) => {
  const user = await signUp();
  await platform.runtime.identity.assign(user.uid, tenant, 'viewer');
  return `/v1/members/${user.uid}`;
};

/** A webhook on a port nothing listens on, for an event the matrix never causes. */
const MATRIX_WEBHOOK = { url: 'http://127.0.0.1:9/matrix', events: ['batch.completed' as const] };
const webhook = (suffix = '') => async (platform: TestPlatform, tenant: string) => ({
  path: `/v1/webhooks/${(await storedWebhook(platform, tenant, MATRIX_WEBHOOK.url, MATRIX_WEBHOOK.events)).webhook.id}${suffix}`,
});

const SCENARIOS: Record<string, Scenario> = {
  listPresets: { ownsResource: false, allowed: 200, prepare: fixed('/v1/presets') },
  getPreset: { ownsResource: false, allowed: 200, prepare: fixed('/v1/presets/quick_social') },
  createJob: { ownsResource: false, allowed: 201, prepare: async () => ({ path: '/v1/jobs', body: waitingBrief() }) },
  createBatch: { ownsResource: false, allowed: 201, prepare: async () => ({ path: '/v1/jobs:batch', body: { briefs: [waitingBrief()] } }) },
  listJobs: { ownsResource: false, allowed: 200, prepare: fixed('/v1/jobs?limit=1') },
  getJob: { ownsResource: true, allowed: 200, prepare: job('DELIVERED') },
  getJobLog: { ownsResource: true, allowed: 200, prepare: job('DELIVERED', '/logs') },
  cancelJob: { ownsResource: true, allowed: 200, prepare: job('INPUT_SANITIZED', '/cancel') },
  eraseJob: { ownsResource: true, allowed: 204, prepare: job('DELIVERED') },
  getManifest: { ownsResource: true, allowed: 200, prepare: job('WAITING_APPROVAL', '/manifest') },
  editManifest: {
    ownsResource: true,
    allowed: 200,
    prepare: async (platform, tenant) => ({ ...(await job('WAITING_APPROVAL', '/manifest')(platform, tenant)), body: { title: 'Edited title' } }),
  },
  approveJob: { ownsResource: true, allowed: 200, prepare: job('WAITING_APPROVAL', '/approve') },
  rejectJob: { ownsResource: true, allowed: 200, prepare: job('WAITING_APPROVAL', '/reject') },
  exportJob: { ownsResource: true, allowed: 200, prepare: job('DELIVERED', '/export') },
  exportJobs: { ownsResource: false, allowed: 200, prepare: fixed('/v1/exports/jobs?format=csv') },
  getBatch: {
    ownsResource: true,
    allowed: 200,
    prepare: async (platform, tenant) => {
      const member = await jobInState(platform, tenant, 'DELIVERED');
      const id = `batch_${randomUUID().replace(/-/g, '')}`;
      await platform.runtime.batches.create({ id, tenant, jobIds: [member.id], createdAt: new Date().toISOString(), createdBy: null, finished: {}, completedAt: null }, []);
      return { path: `/v1/batches/${id}` };
    },
  },
  createApiKey: { ownsResource: false, allowed: 201, prepare: fixed('/v1/api-keys', { name: 'matrix', role: 'viewer' }) },
  listApiKeys: { ownsResource: false, allowed: 200, prepare: fixed('/v1/api-keys') },
  revokeApiKey: {
    ownsResource: true,
    allowed: 200,
    prepare: async (platform, tenant) => {
      const key = await makeApiKey(platform, tenant, 'viewer', 'to revoke');
      return { path: `/v1/api-keys/${apiKeyIdOf(hashApiKey(key))}` };
    },
  },
  setMemberRole: { ownsResource: true, allowed: 200, prepare: async (platform, tenant) => ({ path: await member(platform, tenant), body: { role: 'user' } }) },
  getMember: { ownsResource: true, allowed: 200, prepare: async (platform, tenant) => ({ path: await member(platform, tenant) }) },
  removeMember: { ownsResource: true, allowed: 204, prepare: async (platform, tenant) => ({ path: await member(platform, tenant) }) },
  listAuditEntries: { ownsResource: false, allowed: 200, prepare: fixed('/v1/audit?limit=5') },
  getUsage: { ownsResource: false, allowed: 200, prepare: fixed('/v1/usage') },
  createWebhook: { ownsResource: false, allowed: 201, prepare: fixed('/v1/webhooks', MATRIX_WEBHOOK) },
  listWebhooks: { ownsResource: false, allowed: 200, prepare: fixed('/v1/webhooks') },
  deleteWebhook: { ownsResource: true, allowed: 204, prepare: webhook() },
  testWebhook: { ownsResource: true, allowed: 202, prepare: webhook('/test') },
  listWebhookDeliveries: { ownsResource: true, allowed: 200, prepare: webhook('/deliveries') },
  estimateBrief: { ownsResource: false, allowed: 200, prepare: async () => ({ path: '/v1/estimates', body: { brief: waitingBrief() } }) },
  getBudgetSettings: { ownsResource: false, allowed: 200, prepare: fixed('/v1/settings/budget') },
  // The largest budget there is, so the jobs the other scenarios submit are never refused; removed after the matrix.
  setBudgetSettings: { ownsResource: false, allowed: 200, prepare: fixed('/v1/settings/budget', { monthlyUsd: MAX_MONTHLY_USD }) },
};

describe('authorisation matrix: every route × every role × own and other tenant', () => {
  let platform: TestPlatform;
  let callers: Callers;

  before(async () => {
    platform = await testPlatform();
    callers = await callersOf(platform);
  });
  // The webhook scenarios leave webhooks behind; later tests' events must not be fanned out to them.
  after(() => deleteAllWebhooks(platform, [platform.tenant, OTHER_TENANT]));
  // Other tests submit as these tenants and expect no budget to limit them.
  after(async () => {
    const db = new Firestore({ projectId: platform.projectId });
    try {
      await Promise.all([platform.tenant, OTHER_TENANT].map((tenant) => db.collection('tenants').doc(tenant).set({ budget: FieldValue.delete() }, { merge: true })));
    } finally {
      await db.terminate();
    }
  });

  it('has a scenario for every route that needs a permission', () => {
    const guarded = ROUTES.filter((route) => route.permission !== null).map((route) => route.operationId);
    expect(Object.keys(SCENARIOS)).to.have.members(guarded);
  });

  for (const route of ROUTES) {
    if (route.permission === null) {
      it(`${route.method} ${route.path} is public`, async () => {
        const answer = await new ApiClient((await testPlatform()).apiUrl).call(route.path, { method: route.method });
        expect(answer.status).to.equal(200);
      });
      continue;
    }
    const scenario = SCENARIOS[route.operationId];
    if (scenario === undefined) continue;
    const permission = route.permission;

    it(`${route.method} ${route.path} answers 401 without a credential`, async () => {
      const call = await scenario.prepare(platform, platform.tenant);
      const answer = await new ApiClient(platform.apiUrl).call(call.path, { method: route.method, body: call.body });
      expect(answer.status).to.equal(401);
      expect(answer.headers.get('www-authenticate')).to.contain('Bearer');
    });

    for (const role of ROLES) {
      for (const tenant of ['own', 'other'] as const) {
        const expected = !roleHas(role, permission) ? 403 : tenant === 'other' && scenario.ownsResource ? 404 : scenario.allowed;
        it(`${route.method} ${route.path} as ${role} of the ${tenant} tenant → ${expected}`, async () => {
          const call = await scenario.prepare(platform, platform.tenant);
          const answer = await callers[tenant][role].call(call.path, { method: route.method, body: call.body });
          expect(answer.status, JSON.stringify(answer.body)).to.equal(expected);
          if (expected === 403) expect(answer.body.error.message).to.contain(permission);
        });
      }
    }
  }
});
