// Where a webhook may send: the rules against server-side request forgery, checked when a webhook is created and
// again at every hop of every delivery (the resolving and connecting half lives in the HTTP transport adapter).
import ipaddr from 'ipaddr.js';

/** The policy follows the platform's mode only: nothing can allow loopback in GCP mode. */
export type WebhookMode = 'local' | 'gcp';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** The only loopback spellings local mode accepts (the test receivers listen on 127.0.0.1). */
const PLAIN_LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Names of the metadata server, which hands out the functions' credentials. */
const METADATA_HOSTS = new Set(['metadata', 'metadata.google.internal']);
/** Names that only ever mean this machine or a private network. */
const PRIVATE_SUFFIXES = ['.localhost', '.internal', '.local', '.home.arpa'];
const METADATA_ADDRESS = '169.254.169.254';

/** A URL that passed the policy, and whether its host may resolve to loopback (local mode, plain loopback host). */
export interface WebhookDestination {
  url: URL;
  loopbackAllowed: boolean;
}

export type UrlVerdict = { ok: true; destination: WebhookDestination } | { ok: false; reason: string };

const RANGE_NAMES: Record<string, string> = {
  unspecified: 'an unspecified',
  broadcast: 'a broadcast',
  multicast: 'a multicast',
  linkLocal: 'a link-local',
  loopback: 'a loopback',
  carrierGradeNat: 'a carrier-grade NAT',
  private: 'a private',
  uniqueLocal: 'a unique-local',
  reserved: 'a reserved',
};

function rangeName(range: string): string {
  return RANGE_NAMES[range] ?? `a special-purpose (${range})`;
}

/** The embedded IPv4 address of an IPv4-mapped (::ffff:a.b.c.d), IPv4-translated or NAT64 (64:ff9b::/96) address. */
function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const range = address.range();
  const wellKnownNat64 = range === 'rfc6052' && address.match(ipaddr.IPv6.parse('64:ff9b::'), 96);
  if (range !== 'ipv4Mapped' && range !== 'rfc6145' && !wellKnownNat64) return null;
  const bytes = address.toByteArray();
  return new ipaddr.IPv4(bytes.slice(12));
}

function ipv4Problem(address: ipaddr.IPv4, loopbackAllowed: boolean): string | null {
  if (address.toString() === METADATA_ADDRESS) return 'the metadata server';
  const range = address.range();
  if (range === 'unicast' || (range === 'loopback' && loopbackAllowed)) return null;
  return `${rangeName(range)} address`;
}

/**
 * Why a webhook must not connect to `address` (an IPv4 or IPv6 literal, without brackets), or null when it may: only
 * public unicast addresses pass, plus loopback when `loopbackAllowed`; an IPv6 address that embeds an IPv4 one is
 * judged by the IPv4 address.
 */
export function forbiddenAddressReason(address: string, loopbackAllowed: boolean): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') {
    const problem = ipv4Problem(parsed as ipaddr.IPv4, loopbackAllowed);
    return problem === null ? null : `${address} is ${problem}`;
  }
  const v6 = parsed as ipaddr.IPv6;
  const inner = embeddedIpv4(v6);
  if (inner !== null) {
    const problem = ipv4Problem(inner, false);
    return problem === null ? null : `${address} embeds ${inner.toString()}, ${problem}`;
  }
  const range = v6.range();
  if (range === 'unicast' || (range === 'loopback' && loopbackAllowed)) return null;
  return `${address} is ${rangeName(range)} address`;
}

/** The host exactly as written in an absolute URL (lowercased, without user info or port); null for a relative one. */
function writtenHost(raw: string): string | null {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(raw)?.[1];
  if (authority === undefined) return null;
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  const end = host.startsWith('[') ? host.indexOf(']') + 1 : host.indexOf(':');
  return (end > 0 ? host.slice(0, end) : host).toLowerCase();
}

function portProblem(url: URL, mode: WebhookMode): string | null {
  if (mode === 'local' || url.port === '') return null;
  const port = Number(url.port);
  // Well-known ports below 1024 belong to other protocols (SSH, SMTP, DNS ...): only 443 among them.
  return port === 443 || port >= 1024 ? null : `port ${port} is not allowed: use 443 or a port from 1024 up`;
}

/** Why the URL's host (a name or a literal, as the URL parser normalised it) is refused, or null. */
function hostProblem(url: URL, loopbackAllowed: boolean): string | null {
  const host = url.hostname.toLowerCase();
  if (host.startsWith('[')) return forbiddenAddressReason(host.slice(1, -1), loopbackAllowed);
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) return forbiddenAddressReason(host, loopbackAllowed);
  const name = host.replace(/\.$/, '');
  if (METADATA_HOSTS.has(name)) return `${name} is the metadata server`;
  if (name === 'localhost') return loopbackAllowed ? null : 'localhost is a loopback host';
  if (PRIVATE_SUFFIXES.some((suffix) => name.endsWith(suffix))) return `${name} names a local or internal host`;
  if (!name.includes('.')) return `${name} is not a fully qualified host name`;
  return null;
}

/**
 * Checks a webhook URL, or a redirect's Location against the destination it came from: an absolute http(s) URL
 * (https only in GCP mode) without user info, on an allowed port, whose host is no private, loopback, link-local or
 * metadata address or name. Numeric spellings of an address (2130706433, 0x7f000001, 0177.0.0.1, 127.1) are
 * normalised by the URL parser and judged as the address they are; loopback passes only in local mode and only
 * when written plainly as localhost, 127.0.0.1 or [::1].
 */
export function checkWebhookUrl(raw: string, mode: WebhookMode, from?: WebhookDestination): UrlVerdict {
  const refuse = (reason: string): UrlVerdict => ({ ok: false, reason });
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) return refuse(`the URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
  if (/[\s\u0000-\u001f\u007f-\u009f\\]/.test(raw)) return refuse('the URL contains white space, control characters or backslashes');
  let url: URL;
  try {
    url = from === undefined ? new URL(raw) : new URL(raw, from.url);
  } catch {
    return refuse('not a valid absolute URL');
  }
  const schemes = mode === 'gcp' ? ['https:'] : ['https:', 'http:'];
  if (!schemes.includes(url.protocol)) return refuse(mode === 'gcp' ? 'only https URLs are allowed' : 'only http and https URLs are allowed');
  if (url.username !== '' || url.password !== '') return refuse('the URL must not carry a user name or password');
  const port = portProblem(url, mode);
  if (port !== null) return refuse(port);
  const sameHost = from !== undefined && url.protocol === from.url.protocol && url.host === from.url.host;
  const plainLoopback = PLAIN_LOOPBACK_HOSTS.has(url.hostname.toLowerCase()) && writtenHost(raw) === url.hostname.toLowerCase();
  const loopbackAllowed = sameHost ? from.loopbackAllowed : mode === 'local' && plainLoopback;
  const host = hostProblem(url, loopbackAllowed);
  if (host !== null) return refuse(host);
  return { ok: true, destination: { url, loopbackAllowed } };
}
