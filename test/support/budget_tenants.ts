import { randomUUID } from 'node:crypto';
import { ApiClient } from './api_client';
import { makeApiKey } from './principals';
import type { TestPlatform } from './root_hooks';

/** A tenant of its own (so its budget limits no other test) and its admin's API client. */
export async function budgetTenant(platform: TestPlatform, name: string): Promise<{ tenant: string; admin: ApiClient }> {
  const tenant = `${name}-${randomUUID().slice(0, 8)}`;
  return { tenant, admin: new ApiClient(platform.apiUrl, { apiKey: await makeApiKey(platform, tenant, 'admin') }) };
}

/** A brief whose job stops at approval: queued, costing next to nothing, until someone approves it. */
export const WAITING = { preset: 'brand_campaign' } as const;

/** A few seconds into the calendar month after the real current one (UTC). */
export function nextMonth(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 0, 0, 30));
}
