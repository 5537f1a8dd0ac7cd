import { expect } from 'chai';
import { judgeQuestions, mergeJudgement, scoreAbcd } from '../../../../../shared/domain/qa/abcd';
import { planOffline } from '../../../../../shared/domain/planning/offline_planner';
import { validBrief } from '../../../../support/fixtures';

describe('merging the video judge into the ABCD report', () => {
  const brief = validBrief({ durationSec: 15 });
  const report = scoreAbcd({ brief, manifest: planOffline(brief), bar: 0.6 });
  const visual = ['product_visuals', 'product_visuals_first_5s', 'presence_of_people', 'presence_of_people_first_5s', 'visible_face_first_5s', 'visible_face_close_up'];

  it('asks about every feature', () => {
    expect(judgeQuestions(brief).map((q) => q.feature)).to.include.members([...visual, 'dynamic_start']);
  });

  it('adds the visual features the measurement cannot decide when the pictures were generated, and rescores', () => {
    const answers = visual.map((feature) => ({ feature, detected: feature.startsWith('product'), evidence: 'seen' }));
    const merged = mergeJudgement(report, answers, brief, true);
    expect(merged.report.checks).to.have.length(report.checks.length + visual.length);
    expect(merged.report.notApplicable.map((n) => n.name)).to.not.include.members(visual);
    expect(merged.report.missing).to.include.members(['presence_of_people', 'visible_face_close_up']);
    expect(merged.report.score).to.be.below(report.score);
  });

  it('keeps measured verdicts, reporting where the judge disagrees', () => {
    const answers = report.checks.map((check) => ({ feature: check.name, detected: check.name === 'supers' ? !check.passed : check.passed, evidence: 'e' }));
    const merged = mergeJudgement(report, answers, brief, false);
    expect(merged.report).to.deep.equal(report);
    expect(merged.disagreements).to.have.length(1);
    expect(merged.disagreements[0]).to.match(/^supers: measured yes, judge no/);
    expect(merged.agreement).to.be.closeTo((report.checks.length - 1) / report.checks.length, 0.001);
  });

  it('leaves an offline (typographic) render without the visual features', () => {
    const merged = mergeJudgement(report, visual.map((feature) => ({ feature, detected: false, evidence: 'no people' })), brief, false);
    expect(merged.report.score).to.equal(report.score);
  });
});
