import { expect } from 'chai';
import { GeminiCreativeDirector } from '../../../../shared/adapters/genai/gemini_creative_director';
import { ProviderOutputError, ProviderUnavailableError } from '../../../../shared/domain/resilience/errors';
import { BrandKitSchema } from '../../../../shared/schemas/brand_kit';
import { ManifestSchema } from '../../../../shared/schemas/manifest';
import { validBrief } from '../../../support/fixtures';
import { MemoryBreakerStore } from '../../../support/memory_breaker_store';
import { testSession } from '../../../support/provider_session';
import { rejectionOf } from '../../../support/rejection';
import { startGenaiKit } from '../../../support/genai_kit';

describe('GeminiCreativeDirector with the real SDK against the fake genai server', () => {
  let kit: Awaited<ReturnType<typeof startGenaiKit>>;
  let director: GeminiCreativeDirector;
  const brief = validBrief({ durationSec: 15, keyMessages: ['Smooth cold brew', 'Twice the caffeine'] });
  const brandKit = BrandKitSchema.parse({ tenant: 't', brand: 'Lumen Coffee', tone: 'upbeat', bannedWords: ['cheap'], updatedAt: new Date().toISOString() });

  before(async () => {
    kit = await startGenaiKit();
    director = new GeminiCreativeDirector(kit.gemini(), 'gemini-2.5-flash');
  });
  afterEach(() => kit.fake.calm());
  after(() => kit.stop());

  it('asks with the brief, brand kit and ABCD rules and the manifest JSON schema, and returns a checked manifest', async () => {
    const session = testSession();
    const manifest = await director.direct({ brief, kit: brandKit, revision: null }, session);
    expect(() => ManifestSchema.parse(manifest)).not.to.throw();
    expect(manifest.planner).to.equal('gemini-2.5-flash');
    expect(manifest.scenes.every((scene) => typeof scene.visual === 'string')).to.equal(true);
    const request = kit.fake.requests.at(-1)!;
    expect(request.url).to.equal('/v1beta/models/gemini-2.5-flash:generateContent');
    const system: string = request.body.systemInstruction.parts[0].text;
    expect(system).to.include('dynamic_start').and.include('call_to_action_speech').and.include('Never use these words, in text or speech: cheap').and.include('Tone of voice: upbeat');
    expect(JSON.parse(request.body.contents[0].parts[0].text).brief.product).to.equal(brief.product);
    expect(request.body.generationConfig.responseMimeType).to.equal('application/json');
    expect(request.body.generationConfig.responseJsonSchema).to.not.have.property('$schema');
    expect(request.body.generationConfig.responseJsonSchema.properties.scenes.items.required).to.include('visual');
    expect(session.ledger.map((entry) => [entry.item, entry.units])).to.deep.equal([
      ['gemini-2.5-flash/input-token', 3200],
      ['gemini-2.5-flash/output-token', 1800],
    ]);
    expect(session.events).to.deep.equal([]);
  });

  it('sends one repair request after malformed JSON, billing both answers', async () => {
    kit.fake.script('creative', { kind: 'malformed' });
    const session = testSession();
    const before = kit.fake.count('creative');
    const manifest = await director.direct({ brief, kit: null, revision: null }, session);
    expect(manifest.scenes.length).to.be.greaterThan(2);
    expect(kit.fake.count('creative') - before).to.equal(2);
    const repair = kit.fake.requests.at(-1)!.body.contents;
    expect(repair.map((content: { role: string }) => content.role)).to.deep.equal(['user', 'model', 'user']);
    expect(repair[2].parts[0].text).to.match(/not valid JSON/);
    expect(session.events.map((event) => event.kind)).to.deep.equal(['repair']);
    expect(session.ledger).to.have.length(4);
  });

  it('gives up with ProviderOutputError when the repair is unusable too', async () => {
    kit.fake.script('creative', { kind: 'malformed' }, { kind: 'malformed' });
    const error = await rejectionOf(director.direct({ brief, kit: null, revision: null }, testSession()));
    expect(error).to.be.instanceOf(ProviderOutputError);
    expect(error.message).to.match(/answered unusably twice/);
  });

  it('retries a 429 after its Retry-After and then succeeds', async () => {
    kit.fake.script('creative', { kind: 'status', status: 429, retryAfterSec: 1, message: 'Resource has been exhausted (e.g. check quota).' });
    const session = testSession();
    const started = Date.now();
    await director.direct({ brief, kit: null, revision: null }, session);
    expect(Date.now() - started).to.be.at.least(1000);
    expect(session.events.map((event) => [event.kind, event.detail])).to.deep.equal([['retry', 'HTTP 429; attempt 2 of 3 in 1.00 s (Retry-After 1.0 s)']]);
  });

  it('opens the breaker in a 500 storm and refuses the next call without sending it', async () => {
    kit.fake.storm(['creative'], { kind: 'status', status: 500, message: 'Internal error encountered.' });
    const breakers = new MemoryBreakerStore();
    const first = testSession(breakers);
    expect(await rejectionOf(director.direct({ brief, kit: null, revision: null }, first))).to.be.instanceOf(ProviderUnavailableError);
    const second = testSession(breakers);
    const error = await rejectionOf(director.direct({ brief, kit: null, revision: null }, second));
    expect(error.message).to.match(/the circuit breaker opened/);
    const sent = kit.fake.count('creative');
    const refused = await rejectionOf(director.direct({ brief, kit: null, revision: null }, testSession(breakers)));
    expect(refused.message).to.match(/circuit breaker open until/);
    expect(kit.fake.count('creative'), 'nothing sent while open').to.equal(sent);
    expect([...first.events, ...second.events].map((event) => event.kind)).to.deep.equal(['retry', 'retry', 'breaker_open']);
  });
});
