import type { Job, JobPatch, LedgerEntry } from '../../shared/schemas/job';
import type { ProviderEvent } from '../../shared/schemas/providers';
import type { StageMessage } from '../../shared/schemas/messages';
import type { State } from '../../shared/stages';
import type { Runtime } from '../runtime';

/** What the work sets on the job: fixed fields, or fields computed from the job as it is at commit time. */
export type PatchOf = JobPatch | ((current: Job) => JobPatch);

export type StageOutcome =
  /** Move the job on. */
  | { kind: 'advance'; next: State; reason: string; patch?: PatchOf; ledger?: LedgerEntry[]; events?: ProviderEvent[] }
  /** Stay in this state; this piece of work is done (approval filed, a scene rendered, job closed). */
  | { kind: 'settle'; reason: string; patch?: PatchOf; ledger?: LedgerEntry[]; events?: ProviderEvent[] };

export interface StageContext {
  job: Job;
  message: StageMessage;
  /** The event that put the job in this state: outputs are keyed by it, so a retry overwrites, never adds. */
  eventId: string;
  runtime: Runtime;
}

/** A message to publish after a commit. */
export interface FollowUp {
  topic: string;
  message: StageMessage;
}

export interface StageWork {
  /** The work itself. Throw JobFailure for what no retry can fix; any other error is retried. */
  run(context: StageContext): Promise<StageOutcome>;
  /**
   * Messages to send once the work has settled, computed from the committed job; computed again when a
   * redelivery finds the work already settled, so a publish lost after the commit is sent after all.
   */
  followUps?(job: Job, message: StageMessage): FollowUp[];
}

/** The work of a stage that sends nothing on besides its next state. */
export type StageRun = StageWork['run'];
