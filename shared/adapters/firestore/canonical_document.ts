import { createHash } from 'node:crypto';
import { DocumentReference, GeoPoint, Timestamp } from '@google-cloud/firestore';

/** A Firestore value as plain JSON whose keys are sorted, so equal documents give equal text whatever their order. */
export function canonicalValue(value: unknown): unknown {
  if (value instanceof Timestamp) return { $timestamp: `${value.seconds}.${String(value.nanoseconds).padStart(9, '0')}` };
  if (value instanceof GeoPoint) return { $geopoint: [value.latitude, value.longitude] };
  if (value instanceof DocumentReference) return { $reference: value.path };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
  if (Array.isArray(value)) return value.map(canonicalValue);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([key, inner]) => [key, canonicalValue(inner)]));
  }
  return value;
}

/** The SHA-256 of a document's canonical JSON. */
export function documentChecksum(data: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(canonicalValue(data))).digest('hex');
}
