import { expect } from 'chai';
import { validateBrief } from '../../../../../shared/domain/brief_validation';
import { planOffline } from '../../../../../shared/domain/planning/offline_planner';
import { plannedCuts } from '../../../../../shared/domain/planning/beats';
import {
  ABCD_FEATURE_IDS,
  describeAbcd,
  plannedSupers,
  scoreAbcd,
  toQaReport,
  type AbcdMediaEvidence,
  type AbcdReport,
} from '../../../../../shared/domain/qa/abcd';
import type { BriefInput } from '../../../../../shared/schemas/brief';
import { QaReportSchema } from '../../../../../shared/schemas/job';
import type { Manifest } from '../../../../../shared/schemas/manifest';
import { shortBrief } from '../../../../support/fixtures';

const PACING = ['dynamic_start', 'quick_pacing', 'quick_pacing_first_5s', 'overall_pacing'];
const NOT_APPLICABLE = [
  'product_visuals',
  'product_visuals_first_5s',
  'presence_of_people',
  'presence_of_people_first_5s',
  'visible_face_first_5s',
  'visible_face_close_up',
];

function planned(overrides: Partial<BriefInput> = {}) {
  const result = validateBrief(
    shortBrief({ keyMessages: ['Smooth cold brew', 'Twice the caffeine'], proofPoint: 'Rated 4.8 by 10,000 drinkers', ...overrides }),
  );
  if (!result.ok) throw new Error('invalid fixture');
  return { brief: result.brief, manifest: planOffline(result.brief) };
}

function check(report: AbcdReport, name: string) {
  const found = report.checks.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no check ${name}`);
  return found;
}

/** What a faithful render of `manifest` measures: a cut at each planned shot, each line spoken from its scene's start. */
function faithfulRender(manifest: Manifest): AbcdMediaEvidence {
  const silences = manifest.scenes.map((scene) => ({ startSec: scene.startSec + Math.min(1.5, scene.durationSec * 0.8), endSec: scene.startSec + scene.durationSec }));
  return {
    speechOnsetSec: 0,
    shotChangesSec: plannedCuts(manifest),
    voiceSilenceSpans: silences,
    supersShown: plannedSupers(manifest),
  };
}

describe('ABCD score', () => {
  describe('at plan time', () => {
    it('passes every applicable feature of the planner storyboard, beats included', () => {
      for (const durationSec of [6, 20, 30]) {
        const { brief, manifest } = planned({ durationSec });
        const report = scoreAbcd({ brief, manifest, bar: 0.9 });
        expect(report.stage).to.equal('plan');
        expect(report.missing, `${durationSec} s: ${describeAbcd(report)}`).to.deep.equal([]);
        expect(report.score).to.equal(1);
      }
    });

    it('fails only the pacing features of a storyboard cut at scene starts alone', () => {
      const { brief, manifest } = planned({ durationSec: 20 });
      const media = { ...faithfulRender(manifest), shotChangesSec: manifest.scenes.slice(1).map((scene) => scene.startSec) };
      const report = scoreAbcd({ brief, manifest, media, bar: 0.6 });
      expect(report.missing).to.deep.equal(['quick_pacing', 'quick_pacing_first_5s', 'overall_pacing']);
      expect(check(report, 'dynamic_start').passed).to.equal(true);
      expect(check(report, 'overall_pacing').passed).to.equal(false);
    });

    it('fails, naming the brand features, when the storyboard never names the brand', () => {
      const { brief, manifest } = planned({ durationSec: 20 });
      const scrub = (text: string) => text.replaceAll('Lumen Coffee', 'our brand');
      const edited = { ...manifest, scenes: manifest.scenes.map((s) => ({ ...s, onScreenText: scrub(s.onScreenText), voiceover: scrub(s.voiceover) })) };
      const report = scoreAbcd({ brief, manifest: edited, bar: 0.8 });
      expect(report.score).to.be.below(0.8);
      expect(report.passed).to.equal(false);
      const lenient = scoreAbcd({ brief, manifest: edited, bar: 0.6 });
      expect(lenient.passed, 'the brand is essential whatever the bar').to.equal(false);
      expect(lenient.unmetEssentials).to.deep.equal(['brand_visuals or brand_mention_speech']);
      expect(describeAbcd(lenient)).to.contain('lacks brand_visuals or brand_mention_speech');
      expect(report.missing).to.include.members(['brand_visuals', 'brand_visuals_first_5s', 'brand_mention_speech', 'brand_mention_speech_first_5s']);
      expect(check(report, 'brand_mention_speech').value).to.equal('not heard (planned)');
      expect(describeAbcd(report)).to.match(/^ABCD score 0\.\d+ below the bar 0\.8 and lacks .*: missing .*brand_mention_speech_first_5s/);
    });

    it('finds the brand however the storyboard writes it', () => {
      const { brief, manifest } = planned({ durationSec: 6 });
      const restyle = (text: string) => text.replaceAll('Lumen Coffee', "LUMEN COFFEE'S");
      const edited = { ...manifest, scenes: manifest.scenes.map((s) => ({ ...s, onScreenText: restyle(s.onScreenText), voiceover: restyle(s.voiceover) })) };
      const report = scoreAbcd({ brief, manifest: edited, bar: 0.8 });
      expect(report.missing).to.deep.equal([]);
    });

    it('fails call_to_action_speech when the call to action is shown but never said', () => {
      const { brief, manifest } = planned({ durationSec: 20 });
      const edited = { ...manifest, scenes: manifest.scenes.map((s) => (s.role === 'call_to_action' ? { ...s, voiceover: 'Lumen Coffee.' } : s)) };
      const report = scoreAbcd({ brief, manifest: edited, bar: 0.6 });
      expect(check(report, 'call_to_action_speech')).to.include({ passed: false, value: 'not heard (planned)', subject: 'D', expected: '"Grab a can today" heard' });
      expect(check(report, 'call_to_action_text').passed).to.equal(true);
      expect(report.missing).to.include('call_to_action_speech');
    });

    it('leaves features that do not apply out of the checks and the denominator', () => {
      const { brief, manifest } = planned({ durationSec: 20 });
      const report = scoreAbcd({ brief, manifest, bar: 0.6 });
      expect(report.notApplicable.map((n) => n.name)).to.deep.equal(NOT_APPLICABLE);
      expect(report.notApplicable.find((n) => n.name === 'presence_of_people')).to.deep.equal({
        name: 'presence_of_people',
        subject: 'C',
        reason: 'the brief supplies no people to show',
      });
      expect(report.checks).to.have.length(ABCD_FEATURE_IDS.length - NOT_APPLICABLE.length);
      expect(report.checks.map((c) => c.name)).to.not.include.members(NOT_APPLICABLE);
      expect(report.checks).to.have.length(17);
      expect(report.score).to.equal(1);
    });

    it('gives every check a category, the criterion and short evidence, storable as a QaReport', () => {
      const { brief, manifest } = planned({ durationSec: 20 });
      const report = scoreAbcd({ brief, manifest, bar: 0.6 });
      for (const c of report.checks) {
        expect(c.subject).to.be.oneOf(['A', 'B', 'C', 'D']);
        expect(c.expected.length).to.be.above(0);
        expect(String(c.value).length).to.be.below(60);
      }
      expect(() => QaReportSchema.parse(toQaReport(report))).to.not.throw();
    });
  });

  describe('at render time', () => {
    it('confirms the plan on a faithful render', () => {
      const { brief, manifest } = planned({ durationSec: 20 });
      const report = scoreAbcd({ brief, manifest, media: faithfulRender(manifest), bar: 0.6 });
      expect(report.stage).to.equal('render');
      expect(report.missing).to.deep.equal([]);
      expect(check(report, 'audio_speech_early_first_5s').value).to.equal('speech starts 0.0 s (measured)');
      expect(check(report, 'brand_visuals_first_5s').value).to.equal('shown 0.0 s, scene 0 (render plan)');
    });

    it('fails the early speech features on a late speech onset, recording the onset', () => {
      const { brief, manifest } = planned({ durationSec: 20 });
      const media = { ...faithfulRender(manifest), speechOnsetSec: 6, voiceSilenceSpans: [{ startSec: 0, endSec: 6 }] };
      const report = scoreAbcd({ brief, manifest, media, bar: 0.6 });
      expect(check(report, 'audio_speech_early_first_5s')).to.include({ passed: false, value: 'speech starts 6.0 s (measured)' });
      expect(check(report, 'brand_mention_speech_first_5s').passed).to.equal(false);
      expect(check(report, 'brand_mention_speech_first_5s').value).to.match(/^first heard ~1\d\.\d s, scene \d \(measured\)$/);
      expect(report.missing).to.include.members(['audio_speech_early_first_5s', 'brand_mention_speech_first_5s', 'product_mention_speech_first_5s']);
    });

    it('fails dynamic start when no shot changes within the first 3 s', () => {
      const { brief, manifest } = planned({ durationSec: 6 });
      const report = scoreAbcd({ brief, manifest, media: { ...faithfulRender(manifest), shotChangesSec: [0, 4, 5.2] }, bar: 0.6 });
      expect(check(report, 'dynamic_start')).to.include({ passed: false, value: 'first cut 4.0 s (detected)' });
      const none = scoreAbcd({ brief, manifest, media: { ...faithfulRender(manifest), shotChangesSec: [] }, bar: 0.6 });
      expect(check(none, 'dynamic_start')).to.include({ passed: false, value: 'no shot change (detected)' });
    });

    it('passes the pacing features on quick cuts and fails them on slow ones', () => {
      const { brief, manifest } = planned({ durationSec: 20 });
      const quick = Array.from({ length: 24 }, (_, i) => 0.8 * (i + 1));
      const fast = scoreAbcd({ brief, manifest, media: { ...faithfulRender(manifest), shotChangesSec: quick }, bar: 0.6 });
      for (const name of PACING) expect(check(fast, name).passed, name).to.equal(true);
      const slow = scoreAbcd({ brief, manifest, media: { ...faithfulRender(manifest), shotChangesSec: [2, 10] }, bar: 0.6 });
      expect(check(slow, 'quick_pacing')).to.include({ passed: false, value: 'at most 2 shots in 5.0 s (detected)' });
      expect(check(slow, 'overall_pacing')).to.include({ passed: false, value: 'average shot 6.7 s (detected)' });
    });

    it('fails call_to_action_speech when the call to action scene is silent', () => {
      const { brief, manifest } = planned({ durationSec: 20 });
      const last = manifest.scenes[manifest.scenes.length - 1];
      const media = { ...faithfulRender(manifest), voiceSilenceSpans: [{ startSec: last.startSec, endSec: manifest.durationSec }] };
      const report = scoreAbcd({ brief, manifest, media, bar: 0.6 });
      expect(check(report, 'call_to_action_speech')).to.include({ passed: false, value: 'not heard (measured)' });
      expect(check(report, 'call_to_action_text').passed).to.equal(true);
    });

    it('reads supers timing from the render plan', () => {
      const { brief, manifest } = planned({ durationSec: 20 });
      const late = plannedSupers(manifest).map((s) => ({ ...s, startSec: s.startSec + 6, endSec: s.endSec + 6 }));
      const report = scoreAbcd({ brief, manifest, media: { ...faithfulRender(manifest), supersShown: late }, bar: 0.6 });
      expect(check(report, 'brand_visuals_first_5s')).to.include({ passed: false, value: 'first shown 6.0 s, scene 0 (render plan)' });
      expect(check(report, 'brand_visuals').passed).to.equal(true);
      const none = scoreAbcd({ brief, manifest, media: { ...faithfulRender(manifest), supersShown: [] }, bar: 0.6 });
      expect(check(none, 'supers')).to.include({ passed: false, value: '0 supers (render plan)' });
    });
  });
});
