import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { log, withLogContext } from '../../shared/logging';
import { MessagePublishedDataSchema } from '../../shared/schemas/messages';
import { SERVICE_TABLE, type ServiceName, type ServiceSpec } from '../../shared/stages';
import { UndecodableMessageError } from '../pipeline/decode_message';
import { getRuntime, type Runtime } from '../runtime';
import { firingOf, FiringMessageSchema, type Firing } from './firing';
import type { ServiceContext, ServiceMessage, ServiceWork } from './service_work';

/** Another delivery of the same firing is running; the message is nacked and comes back later. */
export class FiringBusyError extends Error {
  constructor(key: string) {
    super(`firing ${key} is being handled by another delivery`);
    this.name = 'FiringBusyError';
  }
}

export function decodeServiceMessage(event: CloudEvent<unknown>): ServiceMessage {
  const envelope = MessagePublishedDataSchema.safeParse(event.data);
  if (!envelope.success) throw new UndecodableMessageError('not a Pub/Sub messagePublished event', {});
  const { data, attributes = {}, messageId = event.id, publishTime = event.time } = envelope.data.message;
  let body: unknown = null;
  if (data !== undefined && data !== '') {
    try {
      body = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
    } catch {
      throw new UndecodableMessageError('data is not JSON', attributes);
    }
  }
  const published = publishTime === undefined ? new Date(NaN) : new Date(publishTime);
  if (Number.isNaN(published.getTime())) throw new UndecodableMessageError('the message has no publish time', attributes);
  return { data: body, attributes, messageId, publishTime: published };
}

function firingFor(name: ServiceName, spec: ServiceSpec, message: ServiceMessage): Firing | null {
  if (spec.schedule === undefined) return null;
  const body = FiringMessageSchema.safeParse(message.data ?? {});
  if (!body.success) throw new UndecodableMessageError(`not a firing of ${name}: ${body.error.issues.map((i) => i.path.join('.') || i.message).join(', ')}`, message.attributes);
  return firingOf(name, spec.schedule, body.data, message.publishTime);
}

/** Runs a scheduled service's work once per firing: a repeated delivery of a done firing does nothing. */
async function runOnce(runtime: Runtime, spec: ServiceSpec, firing: Firing, run: () => Promise<string>): Promise<string | null> {
  const holder = randomUUID();
  const now = runtime.clock();
  const claim = await runtime.firings.claim(firing.key, holder, now, new Date(now.getTime() + spec.timeoutSec * 1000));
  if (claim === 'done') return null;
  if (claim === 'busy') throw new FiringBusyError(firing.key);
  let summary: string;
  try {
    summary = await run();
  } catch (error) {
    await runtime.firings.release(firing.key, holder);
    throw error;
  }
  await runtime.firings.complete(firing.key, holder, runtime.clock(), summary);
  return summary;
}

/** The CloudEvent function of one entry of the service table. */
export function serviceFunction(name: ServiceName, work: ServiceWork): (event: CloudEvent<unknown>) => Promise<void> {
  const spec = SERVICE_TABLE[name];
  return async (event) => {
    const runtime = await getRuntime();
    const message = decodeServiceMessage(event);
    const firing = firingFor(name, spec, message);
    const context: ServiceContext = { runtime, message, firing };
    await withLogContext({ service: name, firing: firing?.key }, async () => {
      const started = Date.now();
      const summary = firing === null ? await work(context) : await runOnce(runtime, spec, firing, () => work(context));
      if (summary === null) log('INFO', 'firing already handled; nothing to do');
      else log('INFO', summary, { durationMs: Date.now() - started });
    });
  };
}
