import type { Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import { CLOSED_BREAKER, type BreakerState } from '../../domain/resilience/breaker';
import type { BreakerStore } from '../../ports/breakers';

const BreakerDocumentSchema = z.object({
  state: z.enum(['closed', 'open', 'half_open']),
  failures: z.number().int().min(0),
  openUntil: z.string().nullable(),
  probeUntil: z.string().nullable(),
});

/** Document ids cannot hold a slash; provider names (model names) may. */
function documentId(provider: string): string {
  return encodeURIComponent(provider);
}

/** Circuit breakers in the `providerBreakers` collection, one document per provider, changed in transactions. */
export class FirestoreBreakerStore implements BreakerStore {
  constructor(
    private readonly db: Firestore,
    private readonly collection = 'providerBreakers',
  ) {}

  update<T>(provider: string, change: (breaker: BreakerState) => { next: BreakerState | null; result: T }): Promise<T> {
    const ref = this.db.collection(this.collection).doc(documentId(provider));
    return this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      const current = snapshot.exists ? BreakerDocumentSchema.parse(snapshot.data()) : CLOSED_BREAKER;
      const { next, result } = change(current);
      if (next !== null) tx.set(ref, { ...next, provider, updatedAt: new Date().toISOString() });
      return result;
    });
  }
}
