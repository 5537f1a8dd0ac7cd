import { expect } from 'chai';
import { validateBrief } from '../../../../shared/domain/brief_validation';
import { planOffline } from '../../../../shared/domain/planning/offline_planner';
import { allocateDurations, startTimes } from '../../../../shared/domain/planning/scene_timing';
import type { Brief, BriefInput } from '../../../../shared/schemas/brief';
import { ManifestSchema } from '../../../../shared/schemas/manifest';
import { shortBrief } from '../../../support/fixtures';

function brief(overrides: Partial<BriefInput>): Brief {
  const result = validateBrief(shortBrief(overrides));
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.brief;
}

describe('offline planner', () => {
  it('plans hook, key messages, proof and call to action that fill the duration exactly', () => {
    const manifest = planOffline(brief({ durationSec: 30, keyMessages: ['One thing', 'Another thing', 'A third thing'], proofPoint: 'Loved by many' }));
    expect(() => ManifestSchema.parse(manifest)).not.to.throw();
    expect(manifest.scenes.map((s) => s.role)).to.deep.equal(['hook', 'hook', 'key_message', 'key_message', 'key_message', 'proof', 'call_to_action']);
    const total = manifest.scenes.reduce((sum, scene) => sum + scene.durationSec, 0);
    expect(total).to.be.closeTo(30, 1e-9);
    manifest.scenes.forEach((scene, i) => {
      expect(scene.index).to.equal(i);
      if (i > 0) expect(scene.startSec).to.be.closeTo(manifest.scenes[i - 1].startSec + manifest.scenes[i - 1].durationSec, 1e-9);
    });
  });

  it('opens with the brand and closes with the call to action', () => {
    const manifest = planOffline(brief({ durationSec: 15 }));
    expect(manifest.scenes[0].onScreenText).to.contain('Lumen Coffee');
    expect(manifest.scenes[0].voiceover).to.contain('Lumen Coffee');
    expect(manifest.scenes.at(-1)?.onScreenText).to.contain('Grab a can today');
    expect(manifest.scenes.at(-1)?.voiceover).to.contain('Grab a can today');
  });

  it('groups key messages when the ad is too short to give each its own scene', () => {
    const manifest = planOffline(brief({ durationSec: 8, keyMessages: ['One', 'Two', 'Three', 'Four'] }));
    const messageScenes = manifest.scenes.filter((s) => s.role === 'key_message');
    expect(messageScenes.length).to.be.lessThan(4);
    for (const message of ['One', 'Two', 'Three', 'Four']) expect(messageScenes.some((s) => s.onScreenText.includes(message))).to.equal(true);
    expect(manifest.scenes.reduce((sum, s) => sum + s.durationSec, 0)).to.be.closeTo(8, 1e-9);
  });

  it('is deterministic', () => {
    const input = brief({ durationSec: 20, brand: { name: 'No Colours Inc' } });
    expect(planOffline(input)).to.deep.equal(planOffline(input));
    expect(planOffline(input).scenes[0].palette[0]).to.match(/^#[0-9A-F]{6}$/);
  });
});

describe('scene timing', () => {
  it('splits a duration into parts that add up to it in tenths', () => {
    const parts = allocateDurations(30, [1, 1.25, 1.25, 1.25, 1, 1.1]);
    expect(Math.round(parts.reduce((a, b) => a + b, 0) * 10)).to.equal(300);
    for (const part of parts) expect(Math.round(part * 10)).to.be.closeTo(part * 10, 1e-9);
    expect(startTimes([1.5, 2, 3])).to.deep.equal([0, 1.5, 3.5]);
  });
});
