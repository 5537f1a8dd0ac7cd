import type { Firestore, Query } from '@google-cloud/firestore';
import type { AuditLog, AuditQuery } from '../../ports/audit_log';
import { AuditEntrySchema, type AuditEntry } from '../../schemas/audit';
import type { Page } from '../../ports/pagination';
import { pageOf } from './paginate';

/** Audit entries in the `audit_log` collection; create() never overwrites, so the log is append-only. */
export class FirestoreAuditLog implements AuditLog {
  constructor(
    private readonly db: Firestore,
    private readonly collection = 'audit_log',
  ) {}

  async append(entry: AuditEntry): Promise<void> {
    await this.db.collection(this.collection).doc(entry.id).create(AuditEntrySchema.parse(entry));
  }

  async list(query: AuditQuery): Promise<Page<AuditEntry>> {
    let selection: Query = this.db.collection(this.collection).where('tenant', '==', query.tenant);
    if (query.action !== undefined) selection = selection.where('action', '==', query.action);
    if (query.targetId !== undefined) selection = selection.where('target.id', '==', query.targetId);
    return pageOf(this.db.collection(this.collection), selection.orderBy('at', 'desc'), query, (data) => AuditEntrySchema.parse(data));
  }
}
