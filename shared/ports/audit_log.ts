import type { AuditEntry } from '../schemas/audit';
import type { Page } from './pagination';

export interface AuditQuery {
  tenant: string;
  limit: number;
  /** The id of the last entry of the previous page. */
  after?: string;
  action?: string;
  targetId?: string;
}

/** The append-only record of who did what; entries are never changed or removed. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** The tenant's entries, newest first; `after` continues from the entry with that id. */
  list(query: AuditQuery): Promise<Page<AuditEntry>>;
}
