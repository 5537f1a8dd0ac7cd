import { randomBytes } from 'node:crypto';
import { createServer, request, Agent, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { MessagePublishedDataSchema } from '../shared/schemas/messages';

const MESSAGE_PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';

export interface BridgeTarget {
  /** Port of the functions-framework server hosting the function. */
  port: number;
  /** Topic the subscription reads, for the CloudEvent's source. */
  topic: string;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}

/**
 * What Eventarc does in front of a function, for the emulator's push subscriptions: turns each push request
 * into a binary-mode CloudEvent (ce-* headers, the push body as data, a new trace as Cloud Run starts one), posts it
 * to the function, and answers the push with the function's status, so 2xx acknowledges and anything else makes
 * Pub/Sub redeliver.
 */
export class EventarcBridge {
  private readonly targets = new Map<string, BridgeTarget>();
  private readonly agent = new Agent({ keepAlive: true });
  private readonly server: Server;

  constructor(private readonly projectId: string) {
    this.server = createServer((req, res) => void this.forward(req, res));
  }

  /** Routes pushes for `/functionName` to that function. */
  route(functionName: string, target: BridgeTarget): void {
    this.targets.set(functionName, target);
  }

  endpoint(functionName: string): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the Eventarc bridge is not listening');
    return `http://127.0.0.1:${address.port}/${functionName}`;
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  close(): Promise<void> {
    this.agent.destroy();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = this.targets.get((req.url ?? '').slice(1));
    const body = await readBody(req);
    const envelope = target && MessagePublishedDataSchema.safeParse(parseJson(body));
    if (target === undefined || envelope === undefined || !envelope.success) {
      res.writeHead(target === undefined ? 404 : 400).end();
      return;
    }
    const message = envelope.data.message;
    const headers = {
      'content-type': 'application/json',
      'content-length': String(body.length),
      'ce-id': message.messageId ?? '',
      'ce-source': `//pubsub.googleapis.com/projects/${this.projectId}/topics/${target.topic}`,
      'ce-type': MESSAGE_PUBLISHED,
      'ce-specversion': '1.0',
      'ce-time': message.publishTime ?? new Date().toISOString(),
      // Cloud Run starts a trace for every request it receives; the function's logs are linked to it.
      traceparent: req.headers.traceparent ?? `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
    };
    const upstream = request({ host: '127.0.0.1', port: target.port, method: 'POST', path: '/', headers, agent: this.agent }, (answer) => {
      answer.resume();
      answer.on('end', () => res.writeHead(answer.statusCode ?? 500).end());
    });
    upstream.on('error', () => res.writeHead(502).end());
    upstream.end(body);
  }
}
