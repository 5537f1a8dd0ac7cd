import type { Brief } from '../../../schemas/brief';
import type { QaCheck, QaReport } from '../../../schemas/job';
import type { Manifest } from '../../../schemas/manifest';
import { planTimeline, renderTimeline, type AbcdMediaEvidence } from './evidence';
import { ABCD_FEATURES, ABCD_THRESHOLDS, type AbcdCategory, type AbcdFeatureId, type AbcdThresholds } from './features';

export interface AbcdInput {
  brief: Brief;
  /** The storyboard; at render time, the one the render followed. */
  manifest: Manifest;
  /** Render-time evidence; without it the features are decided on the storyboard alone (plan time). */
  media?: AbcdMediaEvidence;
  /** Share of applicable features that must pass, 0..1. */
  bar: number;
  /** Overrides of the abcds-detector thresholds. */
  thresholds?: Partial<AbcdThresholds>;
}

export interface AbcdNotApplicable {
  name: AbcdFeatureId;
  subject: AbcdCategory;
  reason: string;
}

export interface AbcdReport {
  stage: 'plan' | 'render';
  passed: boolean;
  /** Passed / applicable features, 3 decimals. */
  score: number;
  bar: number;
  /** One check per applicable feature: value is the evidence, subject its ABCD category. */
  checks: QaCheck[];
  /** Names of the applicable features that failed, in feature order. */
  missing: string[];
  /** Features that do not apply to this ad; not in `checks` and not scored. */
  notApplicable: AbcdNotApplicable[];
  /** Essentials the ad lacks whatever its score (see ESSENTIALS), e.g. "brand_visuals or brand_mention_speech". */
  unmetEssentials: string[];
}

/**
 * What every ad must have whatever it scores: the brand, seen or heard, and the call to action, shown or said.
 * An ad without them is not the ad that was ordered, however well paced.
 */
const ESSENTIALS: readonly (readonly AbcdFeatureId[])[] = [
  ['brand_visuals', 'brand_mention_speech'],
  ['call_to_action_text', 'call_to_action_speech'],
];

/**
 * Scores an ad on the ABCD features: every applicable feature becomes a check, the score is the share that pass,
 * and the ad passes at or above `bar`. Without media the storyboard is the evidence; with media the render's
 * measurements (speech, shot changes) and the render plan's supers are.
 */
export function scoreAbcd(input: AbcdInput): AbcdReport {
  const timeline = input.media === undefined ? planTimeline(input.manifest) : renderTimeline(input.manifest, input.media);
  const context = { brief: input.brief, timeline, thresholds: { ...ABCD_THRESHOLDS, ...input.thresholds } };
  const checks: QaCheck[] = [];
  const notApplicable: AbcdNotApplicable[] = [];
  for (const feature of ABCD_FEATURES) {
    const result = feature.evaluate(context);
    if (result.applicable) {
      checks.push({ name: feature.id, passed: result.passed, value: result.value, expected: feature.expected(context), subject: feature.category });
    } else {
      notApplicable.push({ name: feature.id, subject: feature.category, reason: result.reason });
    }
  }
  return reportOf(timeline.stage, checks, notApplicable, input.bar);
}

/** The report of a set of checks: the score is the share that pass; the ad passes at or above the bar with every essential. */
export function reportOf(stage: AbcdReport['stage'], checks: QaCheck[], notApplicable: AbcdNotApplicable[], bar: number): AbcdReport {
  const passedCount = checks.filter((check) => check.passed).length;
  const passing = new Set(checks.filter((check) => check.passed).map((check) => check.name));
  const unmet = ESSENTIALS.filter((any) => !any.some((name) => passing.has(name))).map((any) => any.join(' or '));
  const score = checks.length === 0 ? 0 : Math.round((passedCount / checks.length) * 1000) / 1000;
  return {
    stage,
    passed: checks.length > 0 && score >= bar && unmet.length === 0,
    unmetEssentials: unmet,
    score,
    bar,
    checks,
    missing: checks.filter((check) => !check.passed).map((check) => check.name),
    notApplicable,
  };
}

/** The report as the job stores it (QaReport is strict: no extra fields). */
export function toQaReport(report: AbcdReport): QaReport {
  return { passed: report.passed, score: report.score, bar: report.bar, checks: report.checks };
}

/** "ABCD score 0.647 below the bar 0.8: missing brand_visuals, …" — or the score that passed. */
export function describeAbcd(report: AbcdReport): string {
  const lacking = report.unmetEssentials.length === 0 ? '' : ` and lacks ${report.unmetEssentials.join('; ')}`;
  const head = `ABCD score ${report.score} ${report.score >= report.bar ? 'meets' : 'below'} the bar ${report.bar}${lacking}`;
  return report.missing.length === 0 ? head : `${head}: missing ${report.missing.join(', ')}`;
}
