import { createHash, randomUUID } from 'node:crypto';
import { canTransition, type State } from '../stages';
import type { Job } from '../schemas/job';
import { IllegalTransitionError } from './errors';

export interface TransitionRequest {
  to: State;
  reason: string;
  /** The event whose handling causes this transition; null only for a new submission. */
  causeEventId: string | null;
}

/** The id of the event a transition publishes: derived from its cause, so a retried handler derives the same id. */
export function transitionEventId(causeEventId: string | null, to: State): string {
  if (causeEventId === null) return `evt_${randomUUID().replace(/-/g, '')}`;
  return `evt_${createHash('sha256').update(`${causeEventId}→${to}`).digest('hex').slice(0, 32)}`;
}

export interface TransitionResult {
  job: Job;
  eventId: string;
  /** False when this very transition was applied before (a redelivery); the job is returned unchanged. */
  applied: boolean;
}

/** Moves a job to a new state, or refuses: the only place a job's state changes after creation. */
export function applyTransition(job: Job, request: TransitionRequest, now: Date): TransitionResult {
  const eventId = transitionEventId(request.causeEventId, request.to);
  if (job.stateHistory.some((entry) => entry.eventId === eventId)) return { job, eventId, applied: false };
  if (!canTransition(job.state, request.to)) throw new IllegalTransitionError(job.state, request.to);
  const at = now.toISOString();
  const leaving = job.timings[job.state];
  const timings = { ...job.timings, [request.to]: { attempts: 0 } };
  if (leaving?.startedAt !== undefined) {
    timings[job.state] = { ...leaving, finishedAt: at, durationMs: now.getTime() - Date.parse(leaving.startedAt) };
  }
  return {
    eventId,
    applied: true,
    job: {
      ...job,
      state: request.to,
      stateEventId: eventId,
      stateHistory: [
        ...job.stateHistory,
        { from: job.state, to: request.to, at, reason: request.reason, eventId, causeEventId: request.causeEventId },
      ],
      timings,
      leases: {},
      updatedAt: at,
    },
  };
}
