// How deliveries are signed, and the check a receiver makes: HMAC-SHA256 over "<timestamp>.<raw body>", so a receiver
// can tell a delivery is ours and unaltered, and refuse an old one replayed.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The headers of every delivery. */
export const WEBHOOK_HEADERS = {
  webhookId: 'X-Aiprod-Webhook-Id',
  deliveryId: 'X-Aiprod-Delivery-Id',
  event: 'X-Aiprod-Event',
  /** Unix seconds at which this attempt was signed. */
  timestamp: 'X-Aiprod-Timestamp',
  /** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>` */
  signature: 'X-Aiprod-Signature',
} as const;

/** How far a delivery's timestamp may be from the receiver's clock before it is refused as a replay. */
export const SIGNATURE_TOLERANCE_SEC = 300;

const SCHEME = 'v1';

/** A new signing secret: 256 random bits. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function digest(secret: string, timestamp: string, body: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/** The X-Aiprod-Signature value for a body sent at `timestampSec`. */
export function signDelivery(secret: string, timestampSec: number, body: string | Buffer): string {
  return `${SCHEME}=${digest(secret, String(timestampSec), body).toString('hex')}`;
}

export interface SignedRequest {
  /** The X-Aiprod-Timestamp header as received. */
  timestamp: string | undefined;
  /** The X-Aiprod-Signature header as received. */
  signature: string | undefined;
  /** The body exactly as received, before any JSON parsing. */
  body: string | Buffer;
}

export type SignatureCheck = { ok: true; timestampSec: number } | { ok: false; reason: string };

/**
 * The receiver's check: the signature must match (compared in constant time) and the timestamp be within
 * `toleranceSec` of now. It cannot tell a replay inside the window from the original: a receiver also remembers the
 * delivery ids it has handled and drops any it sees again.
 */
export function verifyDelivery(secret: string, request: SignedRequest, nowSec: number, toleranceSec = SIGNATURE_TOLERANCE_SEC): SignatureCheck {
  const { timestamp, signature, body } = request;
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing or malformed timestamp' };
  const timestampSec = Number(timestamp);
  if (Math.abs(nowSec - timestampSec) > toleranceSec) return { ok: false, reason: `timestamp is more than ${toleranceSec} s from now` };
  const expected = digest(secret, timestamp, body);
  const given = signature?.startsWith(`${SCHEME}=`) ? Buffer.from(signature.slice(SCHEME.length + 1), 'hex') : Buffer.alloc(0);
  const matches = given.length === expected.length && timingSafeEqual(given, expected);
  return matches ? { ok: true, timestampSec } : { ok: false, reason: 'signature does not match' };
}
