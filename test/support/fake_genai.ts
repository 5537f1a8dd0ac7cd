import { createHash, randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { OAuth2Client } from 'google-auth-library';
import type { GenaiConnection } from '../../shared/adapters/genai/genai_clients';
import { planOffline } from '../../shared/domain/planning/offline_planner';
import { BriefSchema } from '../../shared/schemas/brief';
import { renderClip, renderKeyframe } from './fake_media';

const run = promisify(execFile);

/** The calls the fake tells apart, each scriptable on its own. */
export type FakeRoute = 'creative' | 'judge' | 'speech' | 'image' | 'videoStart' | 'videoPoll';

/** What the fake does with one request: answer, answer with broken JSON, fail with a status, or answer late. */
export type Behaviour =
  | { kind: 'ok' }
  | { kind: 'malformed' }
  | { kind: 'status'; status: number; retryAfterSec?: number; message?: string }
  | { kind: 'slow'; delayMs: number };

export interface RecordedRequest {
  route: FakeRoute;
  model: string;
  url: string;
  body: any;
  headers: http.IncomingHttpHeaders;
  answered: number;
}

interface Operation {
  name: string;
  model: string;
  aspectRatio: '9:16' | '16:9';
  durationSec: number;
  prompt: string;
  polls: number;
  startedAt: number;
}

const GEMINI = /^\/v1beta\/models\/([^/:]+):generateContent$/;
const VERTEX = /^\/v1beta1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/google\/models\/([^/:]+):(generateContent|predict|predictLongRunning|fetchPredictOperation)$/;
/** Imagen 4's output sizes per aspect ratio. */
const IMAGE_SIZES = { '1:1': [1024, 1024], '9:16': [768, 1408], '16:9': [1408, 768], '3:4': [896, 1280], '4:3': [1280, 896] } as const;
const STATUS_NAMES: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

function seedOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) % 100_000;
}

/** Colours a prompt names (#RRGGBB), else a warm default, as ffmpeg colours. */
function coloursOf(prompt: string): string[] {
  const named = [...prompt.matchAll(/#([0-9a-fA-F]{6})/g)].map((match) => `0x${match[1]}`);
  return [...named, '0x8A5A3B', '0xF2B544', '0x2B1B14'].slice(0, 3);
}

/**
 * A local server answering what @google/genai sends with the REST shapes of the real services: generateContent
 * (JSON storyboards, ABCD answers for a video, speech as 24 kHz PCM), Imagen predict, Veo predictLongRunning and
 * fetchPredictOperation. Media are real: keyframes and clips rendered by ffmpeg, speech by espeak-ng, so every
 * step after the call (fitting, trimming, speech timing, QA) runs on real files. Each route can be scripted:
 * queued behaviours first, then a standing storm, then success.
 */
export class FakeGenai {
  readonly requests: RecordedRequest[] = [];
  readonly operations = new Map<string, Operation>();
  /** Polls a Veo operation takes to finish, and how long after its start it may finish at the earliest. */
  pollsToFinish = 1;
  videoReadyAfterMs = 0;
  private readonly queued = new Map<FakeRoute, Behaviour[]>();
  private readonly storms = new Map<FakeRoute, Behaviour>();
  private server: http.Server | null = null;
  private mediaDir = '';
  private readonly media = new Map<string, Promise<Buffer>>();
  url = '';

  constructor(private readonly credentials: { apiKey: string; bearerToken: string }) {}

  async start(): Promise<void> {
    this.mediaDir = await mkdtemp(path.join(tmpdir(), 'fake-genai-'));
    const server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (this.server === null) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
    await rm(this.mediaDir, { recursive: true, force: true });
  }

  /** Behaviours for the next requests on a route, in order. */
  script(route: FakeRoute, ...behaviours: Behaviour[]): void {
    this.queued.set(route, [...(this.queued.get(route) ?? []), ...behaviours]);
  }

  /** Every request on the routes gets `behaviour` until calm() (after what is queued). */
  storm(routes: readonly FakeRoute[], behaviour: Behaviour): void {
    for (const route of routes) this.storms.set(route, behaviour);
  }

  calm(): void {
    this.storms.clear();
    this.queued.clear();
  }

  count(route: FakeRoute): number {
    return this.requests.filter((request) => request.route === route).length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      const url = req.url ?? '';
      const gemini = GEMINI.exec(url);
      const vertex = VERTEX.exec(url);
      if (req.method !== 'POST' || (gemini === null && vertex === null)) return this.error(res, 404, `no route ${req.method} ${url}`);
      if (gemini !== null && req.headers['x-goog-api-key'] !== this.credentials.apiKey) {
        return this.error(res, 400, `API key not valid. Please pass a valid API key. (got ${String(req.headers['x-goog-api-key'])})`);
      }
      if (vertex !== null && req.headers.authorization !== `Bearer ${this.credentials.bearerToken}`) return this.error(res, 401, 'Request had invalid authentication credentials.');
      const model = gemini?.[1] ?? vertex![3];
      const method = gemini === null ? vertex![4] : 'generateContent';
      const route = this.routeOf(method, body);
      const recorded: RecordedRequest = { route, model, url, body, headers: req.headers, answered: 0 };
      this.requests.push(recorded);
      const behaviour = this.queued.get(route)?.shift() ?? this.storms.get(route) ?? { kind: 'ok' };
      if (behaviour.kind === 'status') return this.error(res, behaviour.status, behaviour.message ?? 'scripted failure', behaviour.retryAfterSec);
      if (behaviour.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
      if (res.destroyed) return;
      recorded.answered = 200;
      this.json(res, 200, await this.answer(route, model, body, behaviour.kind === 'malformed'));
    } catch (error) {
      if (!res.headersSent) this.error(res, 500, `fake genai failed: ${(error as Error).message}`);
    }
  }

  private routeOf(method: string, body: any): FakeRoute {
    if (method === 'predict') return 'image';
    if (method === 'predictLongRunning') return 'videoStart';
    if (method === 'fetchPredictOperation') return 'videoPoll';
    if (body.generationConfig?.responseModalities?.includes('AUDIO')) return 'speech';
    const parts = (body.contents ?? []).flatMap((content: any) => content.parts ?? []);
    return parts.some((part: any) => part.inlineData?.mimeType?.startsWith('video/')) ? 'judge' : 'creative';
  }

  private async answer(route: FakeRoute, model: string, body: any, malformed: boolean): Promise<unknown> {
    switch (route) {
      case 'creative':
        return this.text(this.storyboard(body), malformed, 1800);
      case 'judge':
        return this.text(this.judgement(body), malformed, 700);
      case 'speech':
        return this.speech(body);
      case 'image':
        return this.image(body);
      case 'videoStart':
        return this.startVideo(model, body);
      case 'videoPoll':
        return this.pollVideo(body);
    }
  }

  /** A text answer as generateContent returns it, with token counts; `malformed` cuts the JSON short. */
  private text(json: string, malformed: boolean, outputTokens: number) {
    const text = malformed ? json.slice(0, Math.floor(json.length / 2)) : json;
    return {
      candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 3200, candidatesTokenCount: outputTokens, totalTokenCount: 3200 + outputTokens },
      modelVersion: 'fake',
    };
  }

  /** The storyboard a model would write: the repo's offline plan of the brief in the prompt, with visuals. */
  private storyboard(body: any): string {
    const prompt = JSON.parse(body.contents[0].parts[0].text);
    const manifest = planOffline(BriefSchema.parse(prompt.brief));
    return JSON.stringify({
      ...manifest,
      scenes: manifest.scenes.map((scene) => ({ ...scene, visual: `Shot ${scene.index + 1}, ${scene.role.replace('_', ' ')}: ${prompt.brief.product} for ${prompt.brief.audience}, showing "${scene.onScreenText.replace(/\n/g, ' ')}"` })),
      planner: 'fake-model',
    });
  }

  /** Every question the schema asks (its feature enum) answered yes. */
  private judgement(body: any): string {
    const features: string[] = body.generationConfig.responseJsonSchema.properties.answers.items.properties.feature.enum;
    return JSON.stringify({ answers: features.map((feature) => ({ feature, detected: true, evidence: `seen in the fake's review of ${feature}` })) });
  }

  private async speech(body: any) {
    const prompt: string = body.contents[0].parts[0].text;
    const line = prompt.slice(prompt.indexOf(':') + 1).trim();
    const pcm = await this.rendered(`speech ${line}`, async (dir) => {
      await writeFile(path.join(dir, 'line.txt'), line);
      await run('espeak-ng', ['-w', path.join(dir, 'line.wav'), '-f', path.join(dir, 'line.txt')]);
      await run('ffmpeg', ['-v', 'error', '-y', '-i', path.join(dir, 'line.wav'), '-ar', '24000', '-ac', '1', '-f', 's16le', path.join(dir, 'out')]);
    });
    const seconds = pcm.length / 48000;
    return {
      candidates: [{ content: { role: 'model', parts: [{ inlineData: { mimeType: 'audio/L16;codec=pcm;rate=24000', data: pcm.toString('base64') } }] }, finishReason: 'STOP' }],
      usageMetadata: { promptTokenCount: Math.ceil(prompt.length / 4), candidatesTokenCount: Math.round(seconds * 25), totalTokenCount: 0 },
    };
  }

  private async image(body: any) {
    const prompt: string = body.instances[0].prompt;
    const ratio = (body.parameters?.aspectRatio ?? '1:1') as keyof typeof IMAGE_SIZES;
    const [width, height] = IMAGE_SIZES[ratio];
    const png = await this.rendered(`image ${ratio} ${prompt}`, (dir) => renderKeyframe(path.join(dir, 'out'), width, height, coloursOf(prompt), seedOf(prompt)));
    return { predictions: [{ mimeType: 'image/png', bytesBase64Encoded: png.toString('base64') }] };
  }

  private startVideo(model: string, body: any) {
    const name = `projects/fake/locations/us-central1/publishers/google/models/${model}/operations/${randomUUID()}`;
    const aspectRatio = body.parameters?.aspectRatio === '9:16' ? '9:16' : '16:9';
    this.operations.set(name, { name, model, aspectRatio, durationSec: Number(body.parameters?.durationSeconds ?? 8), prompt: body.instances[0].prompt, polls: 0, startedAt: Date.now() });
    return { name };
  }

  private async pollVideo(body: any) {
    const operation = this.operations.get(body.operationName);
    if (operation === undefined) throw new Error(`unknown operation ${body.operationName}`);
    operation.polls++;
    if (operation.polls < this.pollsToFinish || Date.now() - operation.startedAt < this.videoReadyAfterMs) return { name: operation.name, done: false, metadata: { progressPercent: 50 } };
    const [width, height] = operation.aspectRatio === '9:16' ? [720, 1280] : [1280, 720];
    const mp4 = await this.rendered(`video ${operation.aspectRatio} ${operation.durationSec} ${operation.prompt}`, (dir) =>
      renderClip(path.join(dir, 'out'), width, height, operation.durationSec, coloursOf(operation.prompt), seedOf(operation.prompt)),
    );
    return {
      name: operation.name,
      done: true,
      response: { '@type': 'type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse', videos: [{ bytesBase64Encoded: mp4.toString('base64'), mimeType: 'video/mp4' }] },
    };
  }

  /** A file `make` writes as `out` in a folder of its own, made once per key. */
  private rendered(key: string, make: (dir: string) => Promise<unknown>): Promise<Buffer> {
    let file = this.media.get(key);
    if (file === undefined) {
      file = (async () => {
        const dir = await mkdtemp(path.join(this.mediaDir, 'm-'));
        await make(dir);
        return readFile(path.join(dir, 'out'));
      })();
      this.media.set(key, file);
    }
    return file;
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
    res.end(JSON.stringify(body));
  }

  /** Google's error shape: {error: {code, message, status}}, with Retry-After when asked to. */
  private error(res: ServerResponse, status: number, message: string, retryAfterSec?: number): void {
    const headers: Record<string, string> = retryAfterSec === undefined ? {} : { 'retry-after': String(retryAfterSec) };
    this.json(res, status, { error: { code: status, message, status: STATUS_NAMES[status] ?? 'UNKNOWN' } }, headers);
  }
}

/** Vertex credentials that work offline: an OAuth client holding a ready access token (no token exchange). */
export function presetVertexAuth(bearerToken: string): GenaiConnection['vertexAuth'] {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: bearerToken, expiry_date: Date.now() + 3600_000 });
  // The SDK declares the auth client of its own google-auth-library copy (10.x); 11.x's works alike at run time.
  return { authClient: client as unknown as NonNullable<GenaiConnection['vertexAuth']>['authClient'] };
}

export const FAKE_CREDENTIALS = { apiKey: 'AIzaFAKE-test-api-key-6f1d2c3b4a', bearerToken: 'ya29.fake-vertex-token-0123456789' };

/**
 * Starts a fake and points the SDK at it the way a deployment would be pointed elsewhere: through its own
 * GOOGLE_GEMINI_BASE_URL and GOOGLE_VERTEX_BASE_URL. `stop` puts the variables back.
 */
export async function startFakeGenai(): Promise<{ fake: FakeGenai; stop(): Promise<void> }> {
  const fake = new FakeGenai(FAKE_CREDENTIALS);
  await fake.start();
  const saved = { GOOGLE_GEMINI_BASE_URL: process.env.GOOGLE_GEMINI_BASE_URL, GOOGLE_VERTEX_BASE_URL: process.env.GOOGLE_VERTEX_BASE_URL };
  process.env.GOOGLE_GEMINI_BASE_URL = fake.url;
  process.env.GOOGLE_VERTEX_BASE_URL = fake.url;
  return {
    fake,
    async stop() {
      await fake.stop();
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
}
