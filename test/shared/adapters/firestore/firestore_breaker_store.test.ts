import { expect } from 'chai';
import { Firestore } from '@google-cloud/firestore';
import { FirestoreBreakerStore } from '../../../../shared/adapters/firestore/firestore_breaker_store';
import { afterFailure, CLOSED_BREAKER } from '../../../../shared/domain/resilience/breaker';
import { testPlatform } from '../../../support/root_hooks';

describe('FirestoreBreakerStore on the Firestore emulator', () => {
  let db: Firestore;
  let projectId: string;

  before(async () => {
    projectId = (await testPlatform()).projectId;
    db = new Firestore({ projectId });
  });
  after(() => db.terminate());

  it('reads a never-used breaker as closed and keeps what a change writes, for any instance to read', async () => {
    const provider = `veo-3.0-generate-001/${Date.now()}`;
    const first = new FirestoreBreakerStore(db, 'breaker_test');
    expect(await first.update(provider, (breaker) => ({ next: null, result: breaker }))).to.deep.equal(CLOSED_BREAKER);
    await first.update(provider, (breaker) => ({ next: afterFailure(breaker, new Date(), { failureThreshold: 1, cooldownMs: 5000 }).next, result: null }));
    const other = new Firestore({ projectId });
    try {
      const seen = await new FirestoreBreakerStore(other, 'breaker_test').update(provider, (breaker) => ({ next: null, result: breaker }));
      expect(seen.state).to.equal('open');
      expect(seen.failures).to.equal(1);
    } finally {
      await other.terminate();
    }
  });

  it('counts racing failures from many instances without losing one', async () => {
    const provider = `gemini-2.5-flash/${Date.now()}`;
    const policy = { failureThreshold: 100, cooldownMs: 5000 };
    const stores = Array.from({ length: 3 }, () => new FirestoreBreakerStore(db, 'breaker_test'));
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => stores[i % 3].update(provider, (breaker) => ({ next: afterFailure(breaker, new Date(), policy).next, result: null }))),
    );
    const final = await stores[0].update(provider, (breaker) => ({ next: null, result: breaker }));
    expect(final.failures).to.equal(12);
  });
});
