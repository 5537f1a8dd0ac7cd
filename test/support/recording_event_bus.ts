import type { EventBus } from '../../shared/ports/event_bus';
import type { StageMessage } from '../../shared/schemas/messages';

/** An EventBus that keeps what is published instead of sending it, so a test runs each step itself. */
export class RecordingEventBus implements EventBus {
  readonly published: Array<{ topic: string; message: StageMessage }> = [];

  async publish(topic: string, data: unknown): Promise<string> {
    this.published.push({ topic, message: data as StageMessage });
    return String(this.published.length);
  }

  /** Takes the messages published so far for steps of `kind`. */
  take(kind: string): StageMessage[] {
    const taken = this.published.filter((entry) => entry.message.step?.kind === kind);
    for (const entry of taken) this.published.splice(this.published.indexOf(entry), 1);
    return taken.map((entry) => entry.message);
  }
}
