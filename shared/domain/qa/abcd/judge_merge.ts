import type { Brief } from '../../../schemas/brief';
import type { JudgeAnswer } from '../../../schemas/providers';
import type { JudgeQuestion } from '../../../ports/providers';
import { abcdCriteria } from './criteria';
import { reportOf, type AbcdReport } from './score';

/** The ABCD questions for the video judge: every feature's criterion for this brief, as a question. */
export function judgeQuestions(brief: Brief): JudgeQuestion[] {
  return abcdCriteria(brief).map((rule) => ({ feature: rule.id, question: `Does the video meet this: ${rule.criterion}?` }));
}

export interface MergedJudgement {
  report: AbcdReport;
  /** Share of the features both decided on which the judge agreed with the measurement (1 when none overlap). */
  agreement: number;
  disagreements: string[];
}

/**
 * Merges the judge's answers into the deterministic report. What the pipeline measured stands (speech, cuts and
 * supers are measured on the render); the judge's answers on those only show how far it agrees. Features the
 * measurement cannot decide (people, faces, product imagery) become checks from the judge's answers, when the ad's
 * pictures were generated (an offline render is typographic: those features do not apply to it).
 */
export function mergeJudgement(report: AbcdReport, answers: readonly JudgeAnswer[], brief: Brief, generatedVisuals: boolean): MergedJudgement {
  const criteria = new Map(abcdCriteria(brief).map((rule) => [rule.id as string, rule]));
  const measured = new Map(report.checks.map((check) => [check.name, check.passed]));
  const overlapping = answers.filter((answer) => measured.has(answer.feature));
  const disagreements = overlapping
    .filter((answer) => measured.get(answer.feature) !== answer.detected)
    .map((answer) => `${answer.feature}: measured ${measured.get(answer.feature) ? 'yes' : 'no'}, judge ${answer.detected ? 'yes' : 'no'} (${answer.evidence})`);
  const agreement = overlapping.length === 0 ? 1 : Math.round(((overlapping.length - disagreements.length) / overlapping.length) * 1000) / 1000;
  if (!generatedVisuals) return { report, agreement, disagreements };
  const judged = new Map(answers.map((answer) => [answer.feature, answer]));
  const decided = report.notApplicable.filter((feature) => judged.has(feature.name));
  const checks = [
    ...report.checks,
    ...decided.map((feature) => {
      const answer = judged.get(feature.name)!;
      return { name: feature.name, passed: answer.detected, value: `judge: ${answer.evidence}`, expected: criteria.get(feature.name)?.criterion ?? feature.name, subject: feature.subject };
    }),
  ];
  const notApplicable = report.notApplicable.filter((feature) => !judged.has(feature.name));
  return { report: reportOf(report.stage, checks, notApplicable, report.bar), agreement, disagreements };
}
