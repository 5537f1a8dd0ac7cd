import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { Firestore } from '@google-cloud/firestore';
import { FirestoreApiKeyStore } from '../../../../shared/adapters/firestore/firestore_api_key_store';
import { FirestoreAuditLog } from '../../../../shared/adapters/firestore/firestore_audit_log';
import { FirestoreRateLimiter } from '../../../../shared/adapters/firestore/firestore_rate_limiter';
import { apiKeyIdOf, hashApiKey, newApiKey } from '../../../../shared/domain/auth/api_keys';
import { InvalidCursorError } from '../../../../shared/ports/pagination';
import type { ApiKeyRecord } from '../../../../shared/schemas/api_key';
import type { AuditEntry } from '../../../../shared/schemas/audit';
import { rejectionOf } from '../../../support/rejection';
import { testPlatform } from '../../../support/root_hooks';

const suffix = () => randomUUID().slice(0, 8);

function keyRecord(tenant: string, createdAt: string): ApiKeyRecord {
  const hash = hashApiKey(newApiKey());
  return { id: apiKeyIdOf(hash), tenant, role: 'viewer', name: 'k', hash, createdAt, createdBy: null, revokedAt: null };
}

function auditEntry(tenant: string, at: string, action = 'job.created', target = 'job_1'): AuditEntry {
  return { id: `audit_${randomUUID().replace(/-/g, '')}`, at, tenant, actor: null, action, target: { type: 'job', id: target }, requestId: null, details: {} };
}

describe('access stores on the Firestore emulator', () => {
  let db: Firestore;

  before(async () => {
    const platform = await testPlatform();
    db = new Firestore({ projectId: platform.projectId });
  });
  after(() => db.terminate());

  describe('FirestoreApiKeyStore', () => {
    it('creates a key once, lists a tenant’s keys newest first, and revokes only its own tenant’s key, once', async () => {
      const store = new FirestoreApiKeyStore(db, `keys_${suffix()}`);
      const older = keyRecord('t1', '2026-01-01T00:00:00.000Z');
      const newer = keyRecord('t1', '2026-02-01T00:00:00.000Z');
      const foreign = keyRecord('t2', '2026-03-01T00:00:00.000Z');
      for (const record of [older, newer, foreign]) expect(await store.create(record)).to.equal(true);
      expect(await store.create(older)).to.equal(false);
      expect((await store.list('t1')).map((record) => record.id)).to.deep.equal([newer.id, older.id]);
      expect(await store.revoke('t1', foreign.id, '2026-04-01T00:00:00.000Z')).to.equal(null);
      const revoked = await store.revoke('t1', older.id, '2026-04-01T00:00:00.000Z');
      expect(revoked?.revokedAt).to.equal('2026-04-01T00:00:00.000Z');
      expect((await store.revoke('t1', older.id, '2026-05-01T00:00:00.000Z'))?.revokedAt).to.equal('2026-04-01T00:00:00.000Z');
      expect((await store.get(foreign.id))?.revokedAt).to.equal(null);
    });
  });

  describe('FirestoreAuditLog', () => {
    it('appends entries it never overwrites, and pages a tenant’s entries newest first with filters', async () => {
      const log = new FirestoreAuditLog(db, `audit_${suffix()}`);
      const entries = [0, 1, 2, 3, 4].map((i) => auditEntry('t1', `2026-01-0${i + 1}T00:00:00.000Z`, i % 2 ? 'job.cancelled' : 'job.created', `job_${i % 2}`));
      for (const entry of entries) await log.append(entry);
      await log.append(auditEntry('t2', '2026-01-09T00:00:00.000Z'));
      await rejectionOf(log.append({ ...entries[0], action: 'job.erased' }));
      const first = await log.list({ tenant: 't1', limit: 2 });
      expect(first.items.map((entry) => entry.id)).to.deep.equal([entries[4].id, entries[3].id]);
      const second = await log.list({ tenant: 't1', limit: 10, after: first.next! });
      expect(second.items.map((entry) => entry.id)).to.deep.equal([entries[2].id, entries[1].id, entries[0].id]);
      expect(second.next).to.equal(null);
      expect((await log.list({ tenant: 't1', limit: 10, action: 'job.cancelled' })).items).to.have.length(2);
      expect((await log.list({ tenant: 't1', limit: 10, targetId: 'job_0' })).items).to.have.length(3);
      expect((await log.list({ tenant: 't1', limit: 10 })).items.every((entry) => entry.action !== 'job.erased')).to.equal(true);
      const foreignCursor = (await log.list({ tenant: 't2', limit: 1 })).items[0].id;
      expect(await rejectionOf(log.list({ tenant: 't1', limit: 1, after: foreignCursor }))).to.be.instanceOf(InvalidCursorError);
    });
  });

  describe('FirestoreRateLimiter', () => {
    it('allows exactly the limit in one window, refuses with the seconds left, and starts again in the next window', async () => {
      const limiter = new FirestoreRateLimiter(db, 60, `limits_${suffix()}`);
      const at = new Date('2026-01-01T00:00:10.000Z');
      const decisions = [];
      for (let i = 0; i < 4; i++) decisions.push(await limiter.hit([{ key: 'k', limit: 3 }], at));
      expect(decisions.map((decision) => decision.allowed)).to.deep.equal([true, true, true, false]);
      expect(decisions[3]).to.deep.equal({ allowed: false, bucket: 'k', retryAfterSec: 50 });
      expect((await limiter.hit([{ key: 'k', limit: 3 }], new Date('2026-01-01T00:01:00.000Z'))).allowed).to.equal(true);
    });

    it('never admits more than the limit from concurrent requests, and refuses when any bucket is over', async () => {
      const limiter = new FirestoreRateLimiter(db, 60, `limits_${suffix()}`);
      const at = new Date('2026-01-01T00:00:00.000Z');
      const decisions = await Promise.all(Array.from({ length: 40 }, () => limiter.hit([{ key: 'shared', limit: 15 }], at)));
      const admitted = decisions.filter((decision) => decision.allowed).length;
      expect(admitted).to.be.within(1, 15);
      const both = await limiter.hit([{ key: 'fresh', limit: 100 }, { key: 'shared', limit: 15 }], at);
      expect(both).to.include({ allowed: false, bucket: 'shared' });
    });
  });
});
