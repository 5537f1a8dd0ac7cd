import { expect } from 'chai';
import { ImagenGenerator } from '../../../../shared/adapters/genai/imagen_generator';
import { ProviderUnavailableError } from '../../../../shared/domain/resilience/errors';
import { startGenaiKit } from '../../../support/genai_kit';
import { testSession } from '../../../support/provider_session';
import { rejectionOf } from '../../../support/rejection';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString('latin1')).to.equal('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('ImagenGenerator with the real SDK (Vertex mode) against the fake genai server', () => {
  let kit: Awaited<ReturnType<typeof startGenaiKit>>;

  before(async () => {
    kit = await startGenaiKit();
  });
  afterEach(() => kit.fake.calm());
  after(() => kit.stop());

  it('generates a keyframe in the asked aspect ratio through predict, billed as one image', async () => {
    const session = testSession();
    const image = await new ImagenGenerator(kit.vertex(), 'imagen-4.0-generate-001').generate({ prompt: 'cold brew can on a train seat, #2B1B14 and #F2B544', aspectRatio: '9:16' }, session);
    expect(image.mimeType).to.equal('image/png');
    expect(pngSize(image.bytes)).to.deep.equal([768, 1408]);
    const request = kit.fake.requests.at(-1)!;
    expect(request.url).to.equal('/v1beta1/projects/aiprod-test/locations/us-central1/publishers/google/models/imagen-4.0-generate-001:predict');
    expect(request.headers.authorization).to.equal('Bearer ya29.fake-vertex-token-0123456789');
    expect(request.body.parameters).to.include({ sampleCount: 1, aspectRatio: '9:16' });
    expect(session.ledger.map((entry) => [entry.item, entry.units, entry.costUsd])).to.deep.equal([['imagen-4.0-generate-001/image', 1, 0.04]]);
  });

  it('retries a 503 and bills nothing for the failed attempt', async () => {
    kit.fake.script('image', { kind: 'status', status: 503, message: 'The service is currently unavailable.' });
    const session = testSession();
    await new ImagenGenerator(kit.vertex(), 'imagen-4.0-generate-001').generate({ prompt: 'a square shot', aspectRatio: '1:1' }, session);
    expect(session.events.map((event) => event.kind)).to.deep.equal(['retry']);
    expect(session.ledger).to.have.length(1);
  });

  it('cuts a slow answer off at the deadline of the run instead of holding the function', async () => {
    kit.fake.storm(['image'], { kind: 'slow', delayMs: 3000 });
    const started = Date.now();
    const error = await rejectionOf(new ImagenGenerator(kit.vertex(), 'imagen-4.0-generate-001').generate({ prompt: 'slow', aspectRatio: '16:9' }, testSession(undefined, 0.5)));
    expect(error).to.be.instanceOf(ProviderUnavailableError);
    expect(error.message).to.match(/^imagen-4\.0-generate-001 unavailable: no answer within 0\.5 s; a retry in/);
    expect(Date.now() - started).to.be.below(1500);
  });
});
