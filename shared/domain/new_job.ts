import type { Brief } from '../schemas/brief';
import type { Job } from '../schemas/job';
import { transitionEventId } from './transitions';

/** A freshly submitted job: state SUBMITTED, one history entry, nothing produced yet. */
export function newJob(id: string, tenant: string, brief: Brief, now: Date): Job {
  const at = now.toISOString();
  const eventId = transitionEventId(null, 'SUBMITTED');
  return {
    id,
    tenant,
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
    leases: {},
    settledWork: [],
    render: null,
    lastFailure: null,
    error: null,
    totalCostUsd: 0,
    providerEvents: [],
    estimate: null,
    costDifferenceUsd: null,
    createdAt: at,
    updatedAt: at,
    completedAt: null,
  };
}
