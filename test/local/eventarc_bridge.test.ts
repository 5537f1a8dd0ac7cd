import { expect } from 'chai';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { EventarcBridge } from '../../local/eventarc_bridge';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

const pushBody = (data: string) =>
  JSON.stringify({ message: { data: Buffer.from(data).toString('base64'), attributes: { a: '1' }, messageId: '42', publishTime: '2026-01-01T00:00:00Z' }, subscription: 'projects/p/subscriptions/s' });

describe('Eventarc bridge', () => {
  const received: Array<CloudEvent<unknown>> = [];
  let fail = false;
  let bridge: EventarcBridge;
  let functionServer: Server;

  before(async () => {
    functions.cloudEvent('bridgeTestFunction', (event: CloudEvent<unknown>) => {
      received.push(event);
      if (fail) throw new Error('nack me');
    });
    functionServer = getTestServer('bridgeTestFunction');
    const port = await listen(functionServer);
    bridge = new EventarcBridge('p');
    await bridge.listen();
    bridge.route('bridgeTestFunction', { port, topic: 'topic-a' });
  });
  after(async () => {
    await bridge.close();
    functionServer.closeAllConnections();
    functionServer.close();
  });

  it('turns a push request into a binary-mode messagePublished CloudEvent for the function', async () => {
    const response = await fetch(bridge.endpoint('bridgeTestFunction'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: pushBody('hello') });
    expect(response.status).to.be.within(200, 299);
    const event = received.at(-1)!;
    expect(event).to.include({ id: '42', type: 'google.cloud.pubsub.topic.v1.messagePublished', source: '//pubsub.googleapis.com/projects/p/topics/topic-a', specversion: '1.0' });
    const data = event.data as { message: { data: string; attributes: Record<string, string> } };
    expect(Buffer.from(data.message.data, 'base64').toString()).to.equal('hello');
    expect(data.message.attributes).to.deep.equal({ a: '1' });
  });

  it('answers non-2xx when the function throws, so Pub/Sub redelivers', async () => {
    fail = true;
    try {
      const response = await fetch(bridge.endpoint('bridgeTestFunction'), { method: 'POST', body: pushBody('x') });
      expect(response.status).to.equal(500);
    } finally {
      fail = false;
    }
  });

  it('refuses pushes for unknown functions and bodies that are not push envelopes', async () => {
    expect((await fetch(bridge.endpoint('nobody'), { method: 'POST', body: pushBody('x') })).status).to.equal(404);
    expect((await fetch(bridge.endpoint('bridgeTestFunction'), { method: 'POST', body: '{oops' })).status).to.equal(400);
  });

  it('sends the ce- headers Eventarc sends', async () => {
    const headers: IncomingHttpHeaders[] = [];
    const probe = createServer((req, res) => {
      headers.push(req.headers);
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    const port = await listen(probe);
    bridge.route('probe', { port, topic: 't' });
    await fetch(bridge.endpoint('probe'), { method: 'POST', body: pushBody('x') });
    probe.close();
    expect(headers[0]).to.include({ 'ce-id': '42', 'ce-specversion': '1.0', 'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished', 'content-type': 'application/json' });
  });
});
