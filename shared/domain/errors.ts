import type { JobPatch, LedgerEntry } from '../schemas/job';
import type { ProviderEvent } from '../schemas/providers';

/**
 * A failure no retry can fix (bad input, an impossible plan): the job ends in ERROR with this reason.
 * Every other error is treated as transient, so Pub/Sub redelivers the message.
 */
export class JobFailure extends Error {
  constructor(
    reason: string,
    /** What the stage found before failing (a QA report, say), kept on the job beside the reason. */
    readonly findings: JobPatch = {},
    /** What the stage's provider calls cost and did before it failed: recorded all the same. */
    readonly spent: { ledger?: LedgerEntry[]; events?: ProviderEvent[] } = {},
  ) {
    super(reason);
    this.name = 'JobFailure';
  }
}

/** Another delivery of the same event holds the stage's lease; the message is nacked and comes back later. */
export class StageBusyError extends Error {
  constructor(jobId: string, eventId: string) {
    super(`job ${jobId}: event ${eventId} is being handled by another delivery`);
    this.name = 'StageBusyError';
  }
}

export class IllegalTransitionError extends Error {
  constructor(from: string, to: string) {
    super(`illegal transition ${from} → ${to}`);
    this.name = 'IllegalTransitionError';
  }
}
