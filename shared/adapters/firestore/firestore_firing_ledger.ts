import { Timestamp, type Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import type { FiringClaim, FiringLedger } from '../../ports/firing_ledger';

const FiringRecordSchema = z.object({
  holder: z.string(),
  leaseExpiresAt: z.string(),
  doneAt: z.string().nullable(),
  summary: z.string().nullable(),
  attempts: z.number().int(),
});

/** How long a firing's record is kept; Firestore's TTL policy on `expireAt` (terraform/firestore.tf) deletes it after. */
const RETENTION_DAYS = 30;

/** Firing records in the `firings` collection, one document per firing key, changed only in transactions. */
export class FirestoreFiringLedger implements FiringLedger {
  constructor(
    private readonly db: Firestore,
    private readonly collection = 'firings',
  ) {}

  claim(key: string, holder: string, now: Date, leaseUntil: Date): Promise<FiringClaim> {
    const ref = this.db.collection(this.collection).doc(key);
    return this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      const record = snapshot.exists ? FiringRecordSchema.parse(snapshot.data()) : null;
      if (record?.doneAt != null) return 'done';
      if (record !== null && Date.parse(record.leaseExpiresAt) > now.getTime()) return 'busy';
      tx.set(ref, {
        holder,
        leaseExpiresAt: leaseUntil.toISOString(),
        doneAt: null,
        summary: null,
        attempts: (record?.attempts ?? 0) + 1,
        expireAt: Timestamp.fromMillis(now.getTime() + RETENTION_DAYS * 86_400_000),
      });
      return 'claimed';
    });
  }

  async complete(key: string, holder: string, now: Date, summary: string): Promise<void> {
    await this.whileHeld(key, holder, { doneAt: now.toISOString(), summary });
  }

  async release(key: string, holder: string): Promise<void> {
    await this.whileHeld(key, holder, { leaseExpiresAt: new Date(0).toISOString() });
  }

  private async whileHeld(key: string, holder: string, fields: Record<string, string>): Promise<void> {
    const ref = this.db.collection(this.collection).doc(key);
    await this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      if (snapshot.exists && FiringRecordSchema.parse(snapshot.data()).holder === holder) tx.update(ref, fields);
    });
  }
}
