import { createHash } from 'node:crypto';
import { CRC32C } from '@google-cloud/storage';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A small in-memory server speaking the Cloud Storage JSON API calls GcsBlobStore makes (multipart upload,
 * media download, metadata, rewrite, list, delete), so the real @google-cloud/storage client can be tested offline.
 */
export class FakeGcs {
  readonly objects = new Map<string, Buffer>();
  private readonly server: Server = createServer((req, res) => void this.handle(req, res));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private resource(bucket: string, name: string) {
    const data = this.objects.get(`${bucket}/${name}`) ?? Buffer.alloc(0);
    const checksum = new CRC32C();
    checksum.update(data);
    const crc32c = checksum.toString();
    const md5Hash = createHash('md5').update(data).digest('base64');
    return { kind: 'storage#object', bucket, name, size: String(data.length), generation: '1', crc32c, md5Hash };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, value: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    let match: RegExpMatchArray | null;
    if (req.method === 'POST' && (match = url.pathname.match(/^\/upload\/storage\/v1\/b\/([^/]+)\/o$/))) {
      const boundary = /boundary="?([^";]+)"?/.exec(req.headers['content-type'] ?? '')?.[1];
      if (boundary === undefined) return json(400, { error: 'not multipart' });
      const parts = body.toString('latin1').split(`--${boundary}`).slice(1, -1);
      const [metadataPart, mediaPart] = parts.map((part) => part.slice(part.indexOf('\r\n\r\n') + 4, part.length - 2));
      const name = (JSON.parse(metadataPart) as { name?: string }).name ?? url.searchParams.get('name') ?? '';
      this.objects.set(`${match[1]}/${name}`, Buffer.from(mediaPart, 'latin1'));
      return json(200, this.resource(match[1], name));
    }
    if ((match = url.pathname.match(/^\/storage\/v1\/b\/([^/]+)\/o\/([^/]+)\/rewriteTo\/b\/([^/]+)\/o\/([^/]+)$/)) && req.method === 'POST') {
      const source = this.objects.get(`${match[1]}/${decodeURIComponent(match[2])}`);
      if (source === undefined) return json(404, { error: { code: 404, message: 'No such object' } });
      this.objects.set(`${match[3]}/${decodeURIComponent(match[4])}`, source);
      return json(200, { kind: 'storage#rewriteResponse', done: true, totalBytesRewritten: String(source.length), objectSize: String(source.length), resource: this.resource(match[3], decodeURIComponent(match[4])) });
    }
    if ((match = url.pathname.match(/^\/storage\/v1\/b\/([^/]+)\/o\/([^/]+)$/))) {
      const key = `${match[1]}/${decodeURIComponent(match[2])}`;
      const data = this.objects.get(key);
      if (data === undefined) return json(404, { error: { code: 404, message: 'No such object' } });
      if (req.method === 'DELETE') {
        this.objects.delete(key);
        return void res.writeHead(204).end();
      }
      if (url.searchParams.get('alt') === 'media') return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(data);
      return json(200, this.resource(match[1], decodeURIComponent(match[2])));
    }
    if ((match = url.pathname.match(/^\/storage\/v1\/b\/([^/]+)\/o$/)) && req.method === 'GET') {
      const prefix = url.searchParams.get('prefix') ?? '';
      const items = [...this.objects.keys()]
        .filter((key) => key.startsWith(`${match![1]}/${prefix}`))
        .map((key) => this.resource(match![1], key.slice(match![1].length + 1)));
      return json(200, { kind: 'storage#objects', items });
    }
    json(404, { error: { code: 404, message: `unhandled ${req.method} ${url.pathname}` } });
  }
}
