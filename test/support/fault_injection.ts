import type { EventBus } from '../../shared/ports/event_bus';
import type { SceneClipRequest, SceneRenderer } from '../../shared/ports/media';

/**
 * An EventBus that, when told to, publishes every message a second time, later, so copies arrive out of order; or
 * loses the messages `drop` picks, as a publish lost after its commit would be; or fails to publish those `fail`
 * picks, as a publish to an unavailable Pub/Sub would.
 */
export class DuplicatingEventBus implements EventBus {
  duplicate = false;
  drop: ((topic: string, data: unknown) => boolean) | null = null;
  fail: ((topic: string, data: unknown) => boolean) | null = null;
  readonly published: Array<{ topic: string; data: unknown }> = [];

  constructor(private readonly inner: EventBus) {}

  async publish(topic: string, data: unknown, attributes: Record<string, string>): Promise<string> {
    if (this.fail?.(topic, data)) throw new Error(`injected publish failure on ${topic}`);
    this.published.push({ topic, data });
    if (this.drop?.(topic, data)) return 'dropped';
    const id = await this.inner.publish(topic, data, attributes);
    if (this.duplicate) {
      const delayMs = 50 + Math.floor(Math.random() * 400);
      setTimeout(() => void this.inner.publish(topic, data, attributes), delayMs);
    }
    return id;
  }
}

/** A scene renderer that counts renders per job and per clip, and can be told to fail a number of times first. */
export class InstrumentedRenderer implements SceneRenderer {
  /** Clip renders per job. */
  readonly renders = new Map<string, number>();
  /** Renders per `${jobId} ${sceneIndex}@${aspectRatio}`: every value 1 means no clip was rendered twice. */
  readonly clipRenders = new Map<string, number>();
  private failuresLeft = new Map<string, number>();

  constructor(private readonly inner: SceneRenderer) {}

  /** Makes the next `count` renders whose output path contains `jobId` throw. */
  failNext(jobId: string, count: number): void {
    this.failuresLeft.set(jobId, count);
  }

  private jobOf(request: SceneClipRequest): string {
    return /job_[0-9a-f]{32}/.exec(request.outPath)?.[0] ?? 'unknown';
  }

  async renderScene(request: SceneClipRequest): Promise<void> {
    const jobId = this.jobOf(request);
    const left = this.failuresLeft.get(jobId) ?? 0;
    if (left > 0) {
      this.failuresLeft.set(jobId, left - 1);
      throw new Error('injected render fault');
    }
    const clip = `${jobId} ${request.sceneIndex}@${request.aspectRatio}`;
    this.renders.set(jobId, (this.renders.get(jobId) ?? 0) + 1);
    this.clipRenders.set(clip, (this.clipRenders.get(clip) ?? 0) + 1);
    await this.inner.renderScene(request);
  }

  /** The most times any one clip of the job was rendered. */
  maxRendersOfOneClip(jobId: string): number {
    return Math.max(0, ...[...this.clipRenders].filter(([key]) => key.startsWith(`${jobId} `)).map(([, count]) => count));
  }
}
