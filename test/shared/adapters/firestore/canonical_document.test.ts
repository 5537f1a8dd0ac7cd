import { expect } from 'chai';
import { Firestore, GeoPoint, Timestamp } from '@google-cloud/firestore';
import { canonicalValue, documentChecksum } from '../../../../shared/adapters/firestore/canonical_document';

describe('canonical documents', () => {
  it('gives equal documents the same checksum whatever the order of their keys', () => {
    expect(documentChecksum({ a: 1, b: { c: [1, 2], d: 'x' } })).to.equal(documentChecksum({ b: { d: 'x', c: [1, 2] }, a: 1 }));
  });

  it('gives documents that differ anywhere, even in array order or a nested value, different checksums', () => {
    const base = documentChecksum({ a: [1, 2], b: { c: 'x' } });
    expect(documentChecksum({ a: [2, 1], b: { c: 'x' } })).not.to.equal(base);
    expect(documentChecksum({ a: [1, 2], b: { c: 'y' } })).not.to.equal(base);
    expect(documentChecksum({ a: [1, 2], b: { c: 'x' }, d: null })).not.to.equal(base);
  });

  it('writes Firestore types as tagged JSON, timestamps to the nanosecond', () => {
    const db = new Firestore({ projectId: 'p' });
    expect(
      canonicalValue({
        at: new Timestamp(1, 5),
        where: new GeoPoint(1.5, -2),
        ref: db.doc('jobs/j1'),
        bytes: Buffer.from([1, 2]),
        n: Number.POSITIVE_INFINITY,
      }),
    ).to.deep.equal({ at: { $timestamp: '1.000000005' }, bytes: { $bytes: 'AQI=' }, n: { $number: 'Infinity' }, ref: { $reference: 'jobs/j1' }, where: { $geopoint: [1.5, -2] } });
    expect(documentChecksum({ at: new Timestamp(1, 5) })).not.to.equal(documentChecksum({ at: new Timestamp(1, 6) }));
  });
});
