import type { EventBus } from '../../shared/ports/event_bus';
import type { RenderRequest, VideoRenderer } from '../../shared/ports/media';

/** An EventBus that, when told to, publishes every message a second time, later, so copies arrive out of order. */
export class DuplicatingEventBus implements EventBus {
  duplicate = false;
  readonly published: Array<{ topic: string; data: unknown }> = [];

  constructor(private readonly inner: EventBus) {}

  async publish(topic: string, data: unknown, attributes: Record<string, string>): Promise<string> {
    this.published.push({ topic, data });
    const id = await this.inner.publish(topic, data, attributes);
    if (this.duplicate) {
      const delayMs = 50 + Math.floor(Math.random() * 400);
      setTimeout(() => void this.inner.publish(topic, data, attributes), delayMs);
    }
    return id;
  }
}

/** A renderer that counts renders per job and can be told to fail a number of times first. */
export class InstrumentedRenderer implements VideoRenderer {
  readonly renders = new Map<string, number>();
  private failuresLeft = new Map<string, number>();

  constructor(private readonly inner: VideoRenderer) {}

  /** Makes the next `count` renders whose output path contains `jobId` throw. */
  failNext(jobId: string, count: number): void {
    this.failuresLeft.set(jobId, count);
  }

  private jobOf(request: RenderRequest): string {
    return [...request.outPath.matchAll(/job_[0-9a-f]{32}/g)].map((m) => m[0])[0] ?? 'unknown';
  }

  async render(request: RenderRequest): Promise<void> {
    const jobId = this.jobOf(request);
    const left = this.failuresLeft.get(jobId) ?? 0;
    if (left > 0) {
      this.failuresLeft.set(jobId, left - 1);
      throw new Error('injected render fault');
    }
    this.renders.set(jobId, (this.renders.get(jobId) ?? 0) + 1);
    await this.inner.render(request);
  }
}
