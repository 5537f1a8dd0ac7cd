import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { checkWebhookUrl, forbiddenAddressReason, type WebhookDestination, type WebhookMode } from '../../domain/webhooks/url_policy';
import type { WebhookRequest, WebhookResponse, WebhookTransport } from '../../ports/webhook_transport';

/** Resolves a host name to every address it has. */
export type HostResolver = (hostname: string) => Promise<LookupAddress[]>;

export interface TransportOptions {
  /** The system resolver unless given (a test resolves names it has no DNS for). */
  resolve?: HostResolver;
  /** Longest a request may take, connection to status line. */
  timeoutMs?: number;
  maxRedirects?: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'AIPROD-Webhooks/1.0';

interface PinnedAddress {
  address: string;
  family: number;
}

interface Answer {
  statusCode: number;
  location: string | undefined;
}

/** Answers every lookup Node makes for the connection with the addresses that were vetted, and only those. */
function pinnedLookup(pinned: PinnedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    // Asked for all (Node tries them in turn, as happy eyeballs does), or for one: the first.
    if (options.all) callback(null, pinned);
    else callback(null, pinned[0].address, pinned[0].family);
  };
}

/**
 * Sends webhook requests with Node's HTTP clients, only where the URL policy allows: it resolves the host itself,
 * refuses when any of its addresses is forbidden, then connects only to the addresses it vetted (so a DNS answer that
 * changes in between cannot move the request elsewhere) with the original Host header and TLS server name. It
 * follows redirects by hand, checking every hop the same way.
 */
export class GuardedWebhookTransport implements WebhookTransport {
  private readonly resolve: HostResolver;
  private readonly timeoutMs: number;
  private readonly maxRedirects: number;

  constructor(
    private readonly mode: WebhookMode,
    options: TransportOptions = {},
  ) {
    this.resolve = options.resolve ?? ((hostname) => lookup(hostname, { all: true, verbatim: true }));
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxRedirects = options.maxRedirects ?? 3;
  }

  async vet(url: string): Promise<string | null> {
    const verdict = checkWebhookUrl(url, this.mode);
    if (!verdict.ok) return verdict.reason;
    const pinned = await this.pin(verdict.destination);
    return 'reason' in pinned ? pinned.reason : null;
  }

  async post(request: WebhookRequest): Promise<WebhookResponse> {
    const started = Date.now();
    const failed = (reason: string): WebhookResponse => ({ kind: 'failed', reason, durationMs: Date.now() - started });
    let verdict = checkWebhookUrl(request.url, this.mode);
    let via = '';
    for (let redirects = 0; ; redirects++) {
      if (!verdict.ok) return failed(`${via}${verdict.reason}`);
      const { destination } = verdict;
      const pinned = await this.pin(destination);
      if ('reason' in pinned) return failed(`${via}${pinned.reason}`);
      let answer: Answer;
      try {
        answer = await this.send(destination.url, pinned, request);
      } catch (error) {
        return failed(`${via}${(error as Error).message}`);
      }
      if (!REDIRECT_STATUSES.has(answer.statusCode) || answer.location === undefined) {
        return { kind: 'answered', statusCode: answer.statusCode, durationMs: Date.now() - started };
      }
      if (redirects === this.maxRedirects) return failed(`more than ${this.maxRedirects} redirects`);
      via = `redirected to ${answer.location.slice(0, 200)}: `;
      verdict = checkWebhookUrl(answer.location, this.mode, destination);
    }
  }

  /** The addresses to connect to: every address the host resolves to, once each has passed the policy. */
  private async pin(destination: WebhookDestination): Promise<PinnedAddress[] | { reason: string }> {
    const host = destination.url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host) !== 0) return [{ address: host, family: isIP(host) }];
    let addresses: LookupAddress[];
    let timer: NodeJS.Timeout | undefined;
    const tooSlow = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      addresses = await Promise.race([this.resolve(host), tooSlow]);
    } catch (error) {
      return { reason: `${host} does not resolve (${(error as { code?: string }).code ?? (error as Error).message})` };
    } finally {
      clearTimeout(timer);
    }
    if (addresses.length === 0) return { reason: `${host} does not resolve` };
    for (const { address } of addresses) {
      const problem = forbiddenAddressReason(address, destination.loopbackAllowed);
      if (problem !== null) return { reason: `${host} resolves to ${problem}` };
    }
    return addresses.map(({ address, family }) => ({ address, family }));
  }

  private send(url: URL, pinned: PinnedAddress[], request: WebhookRequest): Promise<Answer> {
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const outgoing = client.request(
        {
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: url.port === '' ? undefined : Number(url.port),
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          headers: {
            ...request.headers,
            host: url.host,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(request.body)),
            'user-agent': USER_AGENT,
          },
          // A connection of its own: a pooled one might lead to an address vetted for another request.
          agent: false,
          lookup: pinnedLookup(pinned),
        },
        (response) => {
          clearTimeout(deadline);
          const location = response.headers.location;
          // Only the status counts: the body is not read, so a slow or endless one cannot hold the attempt.
          response.destroy();
          resolve({ statusCode: response.statusCode ?? 0, location });
        },
      );
      const deadline = setTimeout(() => outgoing.destroy(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      outgoing.on('error', (error) => {
        clearTimeout(deadline);
        reject(error);
      });
      outgoing.end(request.body);
    });
  }
}
