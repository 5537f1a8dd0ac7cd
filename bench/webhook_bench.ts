import { createServer } from 'node:http';
import type { LocalPlatform } from '../local/local_platform';
import { publishWebhookEvents } from '../functions/pipeline/publish_webhook_events';
import { verifyDelivery, WEBHOOK_HEADERS } from '../shared/domain/webhooks/signature';
import { formatMs, quantile } from './stats';

/**
 * How long an event takes to reach a webhook: from publishing it (as a transition does) through the fan-out and the
 * signed delivery to a receiver on 127.0.0.1 that checks the signature; and a ping, from the API call.
 */
export async function benchWebhooks(platform: LocalPlatform, events: number): Promise<void> {
  let secret = '';
  let arrived: (() => void) | null = null;
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const check = verifyDelivery(secret, { timestamp: req.headers[WEBHOOK_HEADERS.timestamp.toLowerCase()] as string, signature: req.headers[WEBHOOK_HEADERS.signature.toLowerCase()] as string, body: Buffer.concat(chunks) }, Math.floor(Date.now() / 1000));
      res.writeHead(check.ok ? 204 : 401).end();
      if (check.ok) arrived?.();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const headers = { 'content-type': 'application/json', 'x-api-key': platform.adminKey };
  const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  const created = await fetch(`${platform.apiUrl}/v1/webhooks`, { method: 'POST', headers, body: JSON.stringify({ url, events: ['batch.completed'] }) });
  const webhook = (await created.json()) as { id: string; secret: string };
  secret = webhook.secret;
  const timed = async (send: () => Promise<unknown>): Promise<number> => {
    const started = Date.now();
    const received = new Promise<void>((resolve) => (arrived = resolve));
    await send();
    await received;
    return Date.now() - started;
  };
  try {
    const fanned: number[] = [];
    const pings: number[] = [];
    for (let i = 0; i < events; i++) {
      const batchId = `batch_bench_${Date.now()}_${i}`;
      const at = new Date().toISOString();
      const event = { id: `batch.completed:${batchId}`, type: 'batch.completed' as const, createdAt: at, tenant: platform.tenant, data: { batchId, jobIds: [], finished: {}, completedAt: at } };
      fanned.push(await timed(() => publishWebhookEvents(platform.runtime.events, [event])));
      pings.push(await timed(() => fetch(`${platform.apiUrl}/v1/webhooks/${webhook.id}/test`, { method: 'POST', headers }).then((answer) => answer.arrayBuffer())));
    }
    console.log(`webhooks, ${events} events and ${events} pings to a verifying receiver on 127.0.0.1:`);
    console.log(`  event published → delivered (fan-out + delivery): p50 ${formatMs(quantile(fanned, 0.5))}   p99 ${formatMs(quantile(fanned, 0.99))}`);
    console.log(`  ping (API call → delivered): p50 ${formatMs(quantile(pings, 0.5))}   p99 ${formatMs(quantile(pings, 0.99))}`);
  } finally {
    await fetch(`${platform.apiUrl}/v1/webhooks/${webhook.id}`, { method: 'DELETE', headers });
    receiver.close();
  }
}
