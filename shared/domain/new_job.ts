import type { Principal } from './auth/principal';
import type { Brief } from '../schemas/brief';
import type { Job } from '../schemas/job';
import { transitionEventId } from './transitions';

export interface Submission {
  id: string;
  tenant: string;
  brief: Brief;
  createdBy: Principal | null;
  batchId?: string;
}

/** A freshly submitted job: state SUBMITTED, one history entry, nothing produced yet. */
export function newJob({ id, tenant, brief, createdBy, batchId }: Submission, now: Date): Job {
  const at = now.toISOString();
  const eventId = transitionEventId(null, 'SUBMITTED');
  return {
    id,
    tenant,
    createdBy,
    batchId: batchId ?? null,
    brief,
    preset: null,
    state: 'SUBMITTED',
    stateEventId: eventId,
    stateHistory: [{ from: null, to: 'SUBMITTED', at, reason: 'brief submitted', eventId, causeEventId: null }],
    timings: { SUBMITTED: { attempts: 0 } },
    costLedger: [],
    manifest: null,
    storyboardReviews: [],
    renditions: [],
    qa: {},
    outputs: { videos: [] },
    approval: null,
    manifestEdits: [],
    leases: {},
    settledWork: [],
    render: null,
    lastFailure: null,
    error: null,
    totalCostUsd: 0,
    providerEvents: [],
    estimate: null,
    costDifferenceUsd: null,
    reservation: null,
    budgetSettlement: null,
    pauses: [],
    createdAt: at,
    updatedAt: at,
    completedAt: null,
  };
}
