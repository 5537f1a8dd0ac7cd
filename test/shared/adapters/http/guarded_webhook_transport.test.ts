import { expect } from 'chai';
import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:net';
import { GuardedWebhookTransport, type HostResolver } from '../../../../shared/adapters/http/guarded_webhook_transport';
import { WebhookReceiver } from '../../../support/webhook_receiver';

const request = (url: string) => ({ url, headers: { 'X-Aiprod-Delivery-Id': 'dlv_test' }, body: '{"hello":"world"}' });

/** A resolver for names this machine has no DNS for: each call answers the next of `answers` (the last one repeats). */
function scriptedResolver(...answers: LookupAddress[][]): HostResolver & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string) => {
    calls.push(hostname);
    return answers[Math.min(calls.length, answers.length) - 1];
  };
  return Object.assign(resolve, { calls });
}

describe('GuardedWebhookTransport against real local endpoints', () => {
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(() => receiver.close());

  describe('in local mode', () => {
    const transport = new GuardedWebhookTransport('local');

    it('POSTs the body and headers to a plain loopback URL with its Host header, and reports the status', async () => {
      receiver.answerNext({ status: 204 });
      const response = await transport.post(request(receiver.url('/hook?x=1')));
      expect(response).to.include({ kind: 'answered', statusCode: 204 });
      const [got] = receiver.received;
      expect(got.path).to.equal('/hook?x=1');
      expect(got.body).to.equal('{"hello":"world"}');
      expect(got.headers).to.include({ host: `127.0.0.1:${receiver.port}`, 'content-type': 'application/json', 'x-aiprod-delivery-id': 'dlv_test', 'user-agent': 'AIPROD-Webhooks/1.0' });
    });

    it('fails the attempt with the reason when a redirect points at the metadata server, and goes no further', async () => {
      receiver.answerNext({ status: 302, location: 'http://169.254.169.254/latest/meta-data' });
      const response = await transport.post(request(receiver.url()));
      expect(response.kind).to.equal('failed');
      expect(response.kind === 'failed' && response.reason).to.equal('redirected to http://169.254.169.254/latest/meta-data: 169.254.169.254 is the metadata server');
      expect(receiver.received).to.have.length(1);
    });

    it('refuses a redirect to another host spelling loopback as a number, though plain loopback is allowed here', async () => {
      receiver.answerNext({ status: 307, location: `http://2130706433:${receiver.port}/hook` });
      const response = await transport.post(request(`http://localhost:${receiver.port}/hook`));
      expect(response.kind === 'failed' && response.reason).to.match(/127\.0\.0\.1 is a loopback address$/);
      expect(receiver.received).to.have.length(1);
    });

    it('follows a relative redirect on the same host, POSTing the same body again', async () => {
      receiver.answerNext({ status: 308, location: '/moved' }, { status: 200 });
      expect(await transport.post(request(receiver.url()))).to.include({ kind: 'answered', statusCode: 200 });
      expect(receiver.received.map((got) => [got.path, got.body])).to.deep.equal([
        ['/hook', '{"hello":"world"}'],
        ['/moved', '{"hello":"world"}'],
      ]);
    });

    it('gives up after 3 redirects', async () => {
      receiver.answerNext(...Array.from({ length: 4 }, (_, i) => ({ status: 301, location: `/hop${i}` })));
      const response = await transport.post(request(receiver.url()));
      expect(response.kind === 'failed' && response.reason).to.equal('more than 3 redirects');
      expect(receiver.received).to.have.length(4);
    });

    it('reports a 3xx without a Location as the answer it is', async () => {
      receiver.answerNext({ status: 304 });
      expect(await transport.post(request(receiver.url()))).to.include({ kind: 'answered', statusCode: 304 });
    });

    it('resolves localhost with the system resolver and reaches the receiver on one of its addresses', async () => {
      receiver.answerNext({ status: 200 });
      expect(await transport.post(request(`http://localhost:${receiver.port}/hook`))).to.include({ kind: 'answered', statusCode: 200 });
    });

    it('connects to the address it vetted, not to what the name resolves to by the time it connects', async () => {
      const rebinding = scriptedResolver([{ address: '127.0.0.1', family: 4 }], [{ address: '169.254.169.254', family: 4 }]);
      receiver.answerNext({ status: 200 });
      const pinned = new GuardedWebhookTransport('local', { resolve: rebinding });
      expect(await pinned.post(request(`http://localhost:${receiver.port}/hook`))).to.include({ kind: 'answered', statusCode: 200 });
      expect(rebinding.calls).to.deep.equal(['localhost']);
    });

    it('tries the vetted addresses in turn when the first does not answer', async () => {
      const both = scriptedResolver([
        { address: '::1', family: 6 },
        { address: '127.0.0.1', family: 4 },
      ]);
      receiver.answerNext({ status: 200 });
      const response = await new GuardedWebhookTransport('local', { resolve: both }).post(request(`http://localhost:${receiver.port}/hook`));
      expect(response, 'the receiver listens on 127.0.0.1 only').to.include({ kind: 'answered', statusCode: 200 });
    });

    it('refuses a name with any forbidden address among its answers', async () => {
      const mixed = scriptedResolver([
        { address: '127.0.0.1', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ]);
      const response = await new GuardedWebhookTransport('local', { resolve: mixed }).post(request(`http://localhost:${receiver.port}/`));
      expect(response.kind === 'failed' && response.reason).to.equal('localhost resolves to 10.0.0.7 is a private address');
      expect(receiver.received).to.have.length(0);
    });

    it('reports a refused connection and an endpoint that never answers', async () => {
      const closed = receiver.url();
      await receiver.close();
      const refused = await transport.post(request(closed));
      expect(refused.kind === 'failed' && refused.reason).to.match(/ECONNREFUSED/);
      const silent: Server = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      try {
        const port = (silent.address() as { port: number }).port;
        const slow = await new GuardedWebhookTransport('local', { timeoutMs: 200 }).post(request(`http://127.0.0.1:${port}/`));
        expect(slow.kind === 'failed' && slow.reason).to.equal('no answer within 200 ms');
        expect(slow.durationMs).to.be.at.least(190);
      } finally {
        silent.close();
      }
      receiver = await WebhookReceiver.start();
    });
  });

  describe('in GCP mode', () => {
    it('refuses a host name resolving to a private address, before connecting', async () => {
      const resolver = scriptedResolver([{ address: '10.1.2.3', family: 4 }]);
      const transport = new GuardedWebhookTransport('gcp', { resolve: resolver });
      expect(await transport.vet('https://hooks.example.com/aiprod')).to.equal('hooks.example.com resolves to 10.1.2.3 is a private address');
      const response = await transport.post(request('https://hooks.example.com/aiprod'));
      expect(response.kind === 'failed' && response.reason).to.equal('hooks.example.com resolves to 10.1.2.3 is a private address');
    });

    it('refuses names resolving to IPv4-mapped loopback, link-local or unique-local IPv6', async () => {
      for (const address of ['::ffff:127.0.0.1', 'fe80::1', 'fd12::1', '::1']) {
        const transport = new GuardedWebhookTransport('gcp', { resolve: scriptedResolver([{ address, family: 6 }]) });
        expect(await transport.vet('https://hooks.example.com/'), address).to.match(/^hooks\.example\.com resolves to /);
      }
    });

    it('refuses localhost and plain loopback without resolving anything', async () => {
      const resolver = scriptedResolver([{ address: '127.0.0.1', family: 4 }]);
      const transport = new GuardedWebhookTransport('gcp', { resolve: resolver });
      expect(await transport.vet(`https://localhost:${receiver.port}/`)).to.equal('localhost is a loopback host');
      expect(await transport.vet(`https://127.0.0.1:${receiver.port}/`)).to.equal('127.0.0.1 is a loopback address');
      expect(await transport.vet(receiver.url())).to.equal('only https URLs are allowed');
      expect(resolver.calls).to.deep.equal([]);
      expect(receiver.received).to.have.length(0);
    });

    it('reports a name that does not resolve', async () => {
      const failing: HostResolver = async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
      };
      expect(await new GuardedWebhookTransport('gcp', { resolve: failing }).vet('https://nowhere.example.com/')).to.equal('nowhere.example.com does not resolve (ENOTFOUND)');
    });

    it('gives up on a name whose resolution does not answer in time', async () => {
      const silent: HostResolver = () => new Promise(() => undefined);
      expect(await new GuardedWebhookTransport('gcp', { resolve: silent, timeoutMs: 100 }).vet('https://slow.example.com/')).to.equal('slow.example.com does not resolve (no answer within 100 ms)');
    });

    it('passes a name whose every address is public', async () => {
      const transport = new GuardedWebhookTransport('gcp', { resolve: scriptedResolver([{ address: '93.184.216.34', family: 4 }, { address: '2606:2800:220:1::1', family: 6 }]) });
      expect(await transport.vet('https://hooks.example.com/')).to.equal(null);
    });
  });
});
