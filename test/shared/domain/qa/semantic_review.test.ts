import { expect } from 'chai';
import { validateBrief } from '../../../../shared/domain/brief_validation';
import { planOffline } from '../../../../shared/domain/planning/offline_planner';
import { failedChecks, reviewManifest } from '../../../../shared/domain/qa/semantic_review';
import type { Brief } from '../../../../shared/schemas/brief';
import type { Manifest } from '../../../../shared/schemas/manifest';
import { shortBrief } from '../../../support/fixtures';

function fixture(): { brief: Brief; manifest: Manifest } {
  const result = validateBrief(shortBrief({ durationSec: 20, keyMessages: ['Smooth cold brew', 'Twice the caffeine'] }));
  if (!result.ok) throw new Error('invalid fixture');
  return { brief: result.brief, manifest: planOffline(result.brief) };
}

describe('semantic review', () => {
  it('passes the planner storyboard for its own brief', () => {
    const { brief, manifest } = fixture();
    const report = reviewManifest(brief, manifest, 0.9);
    expect(report.passed, failedChecks(report)).to.equal(true);
    expect(report.score).to.equal(1);
  });

  it('fails a storyboard that never names the brand, naming the checks', () => {
    const { brief, manifest } = fixture();
    const scrub = (text: string) => text.replaceAll('Lumen Coffee', 'our brand');
    const edited = { ...manifest, scenes: manifest.scenes.map((s) => ({ ...s, onScreenText: scrub(s.onScreenText), voiceover: scrub(s.voiceover) })) };
    const report = reviewManifest(brief, edited, 0.6);
    expect(report.passed).to.equal(false);
    expect(failedChecks(report)).to.contain('brand_named').and.to.contain('brand_in_first_scene');
  });

  it('fails when a key message is missing, even above the bar', () => {
    const { brief, manifest } = fixture();
    const edited = { ...manifest, scenes: manifest.scenes.map((s) => ({ ...s, onScreenText: s.onScreenText.replace('Twice the caffeine', 'More'), voiceover: s.voiceover.replace('Twice the caffeine', 'More') })) };
    const report = reviewManifest(brief, edited, 0.1);
    expect(report.passed).to.equal(false);
    expect(failedChecks(report)).to.equal('key_message_covered (Twice the caffeine)');
  });

  it('fails when the call to action is not in the last scene', () => {
    const { brief, manifest } = fixture();
    const edited = { ...manifest, scenes: manifest.scenes.slice(0, -1) };
    const report = reviewManifest(brief, edited, 0.1);
    expect(failedChecks(report)).to.contain('call_to_action_shown').and.to.contain('duration_planned');
  });
});
