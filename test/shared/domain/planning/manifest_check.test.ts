import { expect } from 'chai';
import { checkDraft, manifestResponseSchema } from '../../../../shared/domain/planning/manifest_check';
import { planOffline } from '../../../../shared/domain/planning/offline_planner';
import { BrandKitSchema } from '../../../../shared/schemas/brand_kit';
import { validBrief } from '../../../support/fixtures';

const brief = validBrief({ durationSec: 15, keyMessages: ['Smooth cold brew', 'Twice the caffeine'] });

/** What a model would answer: the offline plan with visuals, a planner of its own, start times off. */
function answer() {
  const manifest = planOffline(brief);
  return { ...manifest, planner: 'model', scenes: manifest.scenes.map((scene) => ({ ...scene, startSec: 0, visual: `a shot for ${scene.role}` })) };
}

describe('checkDraft', () => {
  it('accepts a sound answer, setting what the brief fixes and recomputing start times', () => {
    const draft = answer();
    const result = checkDraft({ ...draft, brandName: 'Wrong', aspectRatios: ['1:1'] }, brief, null, 'gemini-2.5-flash');
    if (!result.ok) throw new Error(result.issues.join('; '));
    expect(result.manifest).to.include({ brandName: 'Lumen Coffee', planner: 'gemini-2.5-flash', durationSec: 15 });
    expect(result.manifest.aspectRatios).to.deep.equal(['9:16']);
    let at = 0;
    for (const scene of result.manifest.scenes) {
      expect(scene.startSec).to.be.closeTo(at, 1e-3);
      at += scene.durationSec;
    }
  });

  it('names what is wrong: durations, the brand flash, the call to action, palettes, pace, banned words, the schema', () => {
    const draft = answer();
    draft.scenes[0] = { ...draft.scenes[0], durationSec: 3, onScreenText: 'Hello', voiceover: 'Hello.' };
    draft.scenes[1] = { ...draft.scenes[1], palette: ['brown', '#FFFFFF'], voiceover: 'cheap '.repeat(40).trim() };
    const last = draft.scenes.length - 1;
    draft.scenes[last] = { ...draft.scenes[last], voiceover: 'See you.' };
    const kit = BrandKitSchema.parse({ tenant: 't', brand: 'Lumen Coffee', bannedWords: ['cheap'], updatedAt: new Date().toISOString() });
    const result = checkDraft(draft, brief, kit, 'm');
    if (result.ok) throw new Error('expected issues');
    expect(result.issues.join('\n')).to.match(/scene durations add up to 16\.\d\d s, not 15 s/);
    expect(result.issues).to.include('scene 0 must be a hook brand flash of at most 2 s');
    expect(result.issues).to.include('scene 0 must show and say the brand "Lumen Coffee"');
    expect(result.issues).to.include('the last scene must show and say the call to action "Grab a can today"');
    expect(result.issues).to.include('scene 1: palette colours must be #RRGGBB, not brown');
    expect(result.issues.join('\n')).to.match(/scene 1: 40 words in .* faster than 3.5 words per second/);
    expect(result.issues).to.include('banned words used: cheap');
    const broken = checkDraft({ title: 'x', scenes: [{ role: 'villain' }] }, brief, null, 'm');
    expect(broken.ok).to.equal(false);
    expect(checkDraft('not an object', brief, null, 'm')).to.deep.equal({ ok: false, issues: ['the answer is not a JSON object'] });
  });

  it('sends the manifest schema without $schema, with visuals required', () => {
    const schema = manifestResponseSchema() as any;
    expect(schema).to.not.have.property('$schema');
    expect(schema.required).to.include.members(['scenes', 'title']);
    expect(schema.properties.scenes.items.required).to.include('visual');
    expect(schema.properties.scenes.items.properties.role.enum).to.deep.equal(['hook', 'key_message', 'proof', 'call_to_action']);
  });
});
