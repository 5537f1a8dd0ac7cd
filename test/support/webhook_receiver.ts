import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { verifyDelivery, WEBHOOK_HEADERS } from '../../shared/domain/webhooks/signature';
import { WebhookEventSchema, type WebhookEvent } from '../../shared/schemas/webhook';

/** What the receiver made of one request. */
export type Verdict = 'handled' | 'duplicate' | 'refused' | 'scripted';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived. */
  body: string;
  verdict: Verdict;
  /** Why it was refused, for a refused one. */
  reason?: string;
  status: number;
  /** Where a scripted redirect pointed. */
  location?: string;
  /** The event, for a handled one. */
  event?: WebhookEvent;
}

/** How to answer the next request instead of checking it: a status, with a Location for a redirect. */
export interface ScriptedAnswer {
  status: number;
  location?: string;
}

const header = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * A webhook endpoint on 127.0.0.1 that does what the README tells receivers to: it refuses (401) a request whose
 * signature does not match or whose timestamp is more than five minutes off, and handles each delivery id once,
 * answering a repeat 200 without acting on it. It can be told to answer the next requests otherwise.
 */
export class WebhookReceiver {
  readonly received: ReceivedRequest[] = [];
  /** The secret of the webhook this receiver serves; null refuses everything. */
  secret: string | null = null;
  /** The receiver's clock, in Unix seconds. */
  nowSec: () => number = () => Math.floor(Date.now() / 1000);
  private readonly script: ScriptedAnswer[] = [];
  private readonly handledIds = new Set<string>();
  private waiters: Array<() => void> = [];

  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = this.judge(req.url ?? '/', req.headers, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(request.status, request.location === undefined ? {} : { location: request.location }).end(request.verdict);
      this.received.push(request);
      for (const wake of this.waiters.splice(0)) wake();
    });
  });

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the receiver is not listening');
    return address.port;
  }

  /** The endpoint, at `path`. */
  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Answers the next requests with these, in order, before checking any again. */
  answerNext(...answers: ScriptedAnswer[]): void {
    this.script.push(...answers);
  }

  /** The requests it handled as new deliveries. */
  handled(): ReceivedRequest[] {
    return this.received.filter((request) => request.verdict === 'handled');
  }

  /** Resolves with the first request (already received or still to come) that `match` accepts. */
  async waitFor(match: (request: ReceivedRequest) => boolean, timeoutMs = 20_000): Promise<ReceivedRequest> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`the receiver got no matching request within ${timeoutMs} ms (got ${this.received.length})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends a received request to the receiver again, byte for byte, as an eavesdropper replaying it would. */
  async replay(request: ReceivedRequest, body = request.body): Promise<number> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    for (const name of Object.values(WEBHOOK_HEADERS)) headers[name] = header(request.headers, name) ?? '';
    const response = await fetch(`http://127.0.0.1:${this.port}${request.path}`, { method: 'POST', headers, body });
    await response.arrayBuffer();
    return response.status;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private judge(path: string, headers: IncomingHttpHeaders, body: string): ReceivedRequest {
    const scripted = this.script.shift();
    if (scripted !== undefined) return { path, headers, body, verdict: 'scripted', status: scripted.status, location: scripted.location };
    if (this.secret === null) return { path, headers, body, verdict: 'refused', reason: 'no secret', status: 401 };
    const check = verifyDelivery(this.secret, { timestamp: header(headers, WEBHOOK_HEADERS.timestamp), signature: header(headers, WEBHOOK_HEADERS.signature), body }, this.nowSec());
    if (!check.ok) return { path, headers, body, verdict: 'refused', reason: check.reason, status: 401 };
    const deliveryId = header(headers, WEBHOOK_HEADERS.deliveryId) ?? '';
    if (this.handledIds.has(deliveryId)) return { path, headers, body, verdict: 'duplicate', status: 200 };
    this.handledIds.add(deliveryId);
    return { path, headers, body, verdict: 'handled', status: 200, event: WebhookEventSchema.parse(JSON.parse(body)) };
  }
}
