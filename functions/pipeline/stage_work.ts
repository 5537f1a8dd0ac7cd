import type { Job, JobPatch, LedgerEntry } from '../../shared/schemas/job';
import type { State } from '../../shared/stages';
import type { Runtime } from '../runtime';

export type StageOutcome =
  /** Move the job on. */
  | { kind: 'advance'; next: State; reason: string; patch?: JobPatch; ledger?: LedgerEntry[] }
  /** Stay in this state; the work is done for this event (approval filed, job closed). */
  | { kind: 'settle'; reason: string; patch?: JobPatch; ledger?: LedgerEntry[] };

export interface StageContext {
  job: Job;
  /** The event that put the job in this state: outputs are keyed by it, so a retry overwrites, never adds. */
  eventId: string;
  runtime: Runtime;
}

/** The work of one state. Throw JobFailure for what no retry can fix; any other error is retried. */
export type StageWork = (context: StageContext) => Promise<StageOutcome>;
