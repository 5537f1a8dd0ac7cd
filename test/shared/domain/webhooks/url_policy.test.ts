import { expect } from 'chai';
import { checkWebhookUrl, forbiddenAddressReason, type WebhookMode } from '../../../../shared/domain/webhooks/url_policy';

function reasonOf(url: string, mode: WebhookMode): string | null {
  const verdict = checkWebhookUrl(url, mode);
  return verdict.ok ? null : verdict.reason;
}

/** Hosts no webhook may reach in either mode, with what the refusal must say (https, so GCP mode judges the host). */
const FORBIDDEN_HOSTS: Array<[string, RegExp]> = [
  ['169.254.169.254', /metadata server/],
  ['metadata.google.internal', /metadata server/],
  ['metadata.google.internal.', /metadata server/],
  ['metadata', /metadata server/],
  ['2130706433', /127\.0\.0\.1 is a loopback/],
  ['0x7f000001', /127\.0\.0\.1 is a loopback/],
  ['0177.0.0.1', /127\.0\.0\.1 is a loopback/],
  ['127.1', /127\.0\.0\.1 is a loopback/],
  ['127.0.0.1.', /loopback/],
  ['127.8.9.10', /loopback/],
  ['[::ffff:127.0.0.1]', /embeds 127\.0\.0\.1, a loopback/],
  ['[::ffff:7f00:1]', /embeds 127\.0\.0\.1, a loopback/],
  ['[::ffff:169.254.169.254]', /embeds 169\.254\.169\.254, the metadata server/],
  ['[64:ff9b::7f00:1]', /embeds 127\.0\.0\.1/],
  ['[64:ff9b::a00:1]', /embeds 10\.0\.0\.1, a private/],
  ['[::ffff:0:a00:1]', /embeds 10\.0\.0\.1, a private/],
  ['[0:0:0:0:0:0:0:1]', /loopback/],
  ['10.0.0.1', /private/],
  ['10.255.255.255', /private/],
  ['172.16.0.1', /private/],
  ['172.31.255.254', /private/],
  ['192.168.1.1', /private/],
  ['100.64.0.1', /carrier-grade NAT/],
  ['169.254.1.1', /link-local/],
  ['[fe80::1]', /link-local/],
  ['[fc00::1]', /unique-local/],
  ['[fd00:ec2::254]', /unique-local/],
  ['0.0.0.0', /unspecified/],
  ['0', /unspecified/],
  ['[::]', /unspecified/],
  ['224.0.0.1', /multicast/],
  ['[ff02::1]', /multicast/],
  ['255.255.255.255', /broadcast/],
  ['240.0.0.1', /reserved/],
  ['[2002:7f00:1::]', /6to4/],
  ['foo.localhost', /local or internal/],
  ['db.internal', /local or internal/],
  ['printer.local', /local or internal/],
  ['intranet', /fully qualified/],
];

describe('webhook URL policy', () => {
  for (const mode of ['local', 'gcp'] as const) {
    describe(`in ${mode} mode`, () => {
      for (const [host, reason] of FORBIDDEN_HOSTS) {
        it(`refuses https://${host}/ (${reason.source})`, () => {
          expect(reasonOf(`https://${host}/hook`, mode)).to.match(reason);
        });
      }

      it('refuses every scheme but http(s)', () => {
        for (const url of ['file:///etc/passwd', 'gopher://example.com/', 'ftp://example.com/', 'javascript:alert(1)', 'data:text/plain,hi', 'ws://example.com/', 'mailto:a@example.com']) {
          expect(reasonOf(url, mode), url).to.match(/only/);
        }
      });

      it('refuses user info, white space, control characters, backslashes, relative and over-long URLs', () => {
        expect(reasonOf('https://user:pass@example.com/', mode)).to.match(/user name or password/);
        expect(reasonOf('https://user@example.com/', mode)).to.match(/user name or password/);
        expect(reasonOf(' https://example.com/', mode)).to.match(/white space/);
        expect(reasonOf('https://exam\tple.com/', mode)).to.match(/white space/);
        expect(reasonOf('https://example.com/\u0000', mode)).to.match(/control/);
        expect(reasonOf('https:\\\\example.com\\', mode)).to.match(/backslash/);
        expect(reasonOf('/hook', mode)).to.match(/not a valid absolute URL/);
        expect(reasonOf(`https://example.com/${'a'.repeat(2100)}`, mode)).to.match(/longer than 2048/);
      });

      it('accepts a public https URL with a query, keeping it as written', () => {
        const verdict = checkWebhookUrl('https://hooks.example.com:8443/aiprod?token=abc', mode);
        expect(verdict.ok && verdict.destination.url.href).to.equal('https://hooks.example.com:8443/aiprod?token=abc');
        expect(verdict.ok && verdict.destination.loopbackAllowed).to.equal(false);
        expect(reasonOf('https://8.8.8.8/', mode)).to.equal(null);
        expect(reasonOf('https://[2001:4860:4860::8888]/', mode)).to.equal(null);
        expect(reasonOf('https://[64:ff9b::808:808]/', mode), 'NAT64 of a public address').to.equal(null);
      });
    });
  }

  describe('in GCP mode', () => {
    it('refuses http, even to a public host', () => {
      expect(reasonOf('http://hooks.example.com/', 'gcp')).to.equal('only https URLs are allowed');
    });

    it('refuses every loopback spelling, the plain ones too', () => {
      for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '[::1]', '2130706433', '0x7f000001', '0177.0.0.1', '127.1', '[::ffff:127.0.0.1]']) {
        expect(reasonOf(`https://${host}:8443/`, 'gcp'), host).to.match(/loopback/);
      }
    });

    it('allows 443 and ports from 1024 up, no other well-known port', () => {
      expect(reasonOf('https://example.com:443/', 'gcp')).to.equal(null);
      expect(reasonOf('https://example.com:1024/', 'gcp')).to.equal(null);
      expect(reasonOf('https://example.com:22/', 'gcp')).to.match(/port 22 is not allowed/);
      expect(reasonOf('https://example.com:25/', 'gcp')).to.match(/port 25/);
    });
  });

  describe('in local mode', () => {
    it('allows http, and loopback written plainly as localhost, 127.0.0.1 or [::1], on any port', () => {
      for (const url of ['http://127.0.0.1:8080/hook', 'http://localhost:3000/', 'http://LocalHost/', 'http://[::1]:80/', 'https://127.0.0.1/']) {
        const verdict = checkWebhookUrl(url, 'local');
        expect(verdict.ok, url).to.equal(true);
        expect(verdict.ok && verdict.destination.loopbackAllowed, url).to.equal(true);
      }
    });

    it('still refuses loopback spelled any other way', () => {
      for (const host of ['2130706433', '0x7f000001', '0177.0.0.1', '127.1', '127.0.0.2', '[::ffff:127.0.0.1]', '[0::1]']) {
        expect(reasonOf(`http://${host}:8080/`, 'local'), host).to.match(/loopback/);
      }
    });
  });

  describe('redirects', () => {
    const from = (url: string) => {
      const verdict = checkWebhookUrl(url, 'local');
      if (!verdict.ok) throw new Error(verdict.reason);
      return verdict.destination;
    };

    it('lets a relative Location stay on the host it came from', () => {
      const verdict = checkWebhookUrl('/next?x=1', 'local', from('http://127.0.0.1:9000/hook'));
      expect(verdict.ok && verdict.destination.url.href).to.equal('http://127.0.0.1:9000/next?x=1');
      expect(verdict.ok && verdict.destination.loopbackAllowed).to.equal(true);
    });

    it('judges a Location on another host as written, so a numeric loopback spelling is refused', () => {
      expect(checkWebhookUrl('http://2130706433:9000/', 'local', from('http://localhost:9000/')).ok).to.equal(false);
      expect(checkWebhookUrl('//0x7f000001/', 'local', from('http://localhost:9000/')).ok).to.equal(false);
      const metadata = checkWebhookUrl('http://169.254.169.254/latest/meta-data', 'local', from('http://127.0.0.1:9000/'));
      expect(metadata.ok ? null : metadata.reason).to.match(/metadata server/);
    });

    it('refuses a downgrade to http in GCP mode', () => {
      const verdict = checkWebhookUrl('https://example.com/', 'gcp');
      if (!verdict.ok) throw new Error(verdict.reason);
      expect(checkWebhookUrl('http://example.com/', 'gcp', verdict.destination).ok).to.equal(false);
    });
  });

  describe('addresses at connection time', () => {
    it('passes public unicast addresses of both families', () => {
      for (const address of ['8.8.8.8', '93.184.216.34', '2001:4860:4860::8888', '::ffff:8.8.8.8']) expect(forbiddenAddressReason(address, false), address).to.equal(null);
    });

    it('passes loopback only when loopback is allowed, and never an IPv4-mapped loopback', () => {
      expect(forbiddenAddressReason('127.0.0.1', true)).to.equal(null);
      expect(forbiddenAddressReason('::1', true)).to.equal(null);
      expect(forbiddenAddressReason('127.0.0.1', false)).to.match(/loopback/);
      expect(forbiddenAddressReason('::ffff:127.0.0.1', true)).to.match(/loopback/);
      expect(forbiddenAddressReason('10.0.0.1', true)).to.match(/private/);
      expect(forbiddenAddressReason('169.254.169.254', true)).to.match(/metadata server/);
    });

    it('refuses what is not an address', () => {
      expect(forbiddenAddressReason('example.com', false)).to.match(/not an IP address/);
    });
  });
});
