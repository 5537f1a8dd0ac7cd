/**
 * The ABCD features (Attract, Brand, Connect, Direct) of YouTube's creative guidance, as defined by Google's
 * abcds-detector: criteria from features_repository/full_abcd_features.py (the same list as
 * long_form_abcd_features.py), thresholds from configuration.py (early_time_seconds 5, dynamic_cutoff_ms 3000,
 * avg_shot_duration_seconds 2) and annotations_evaluation/features/*.py (quick pacing: 5 shots in 5 s), in
 * https://github.com/google-marketing-solutions/abcds-detector (read at commit 62472eb8789b30525e4abb53d9620323ec53700e).
 *
 * Each feature is decided on an AbcdTimeline, so one definition serves the storyboard (planned cuts, supers and
 * speech) and the render (detected cuts, the render plan's supers, measured speech).
 */
import type { Brief } from '../../../schemas/brief';
import { heardWords, shownMentions, spokenMentions, type AbcdTimeline } from './evidence';
import { findPhrase, normalisedWords } from './text';

export type AbcdCategory = 'A' | 'B' | 'C' | 'D';

export interface AbcdThresholds {
  /** "First 5 seconds" features look this far: abcds-detector early_time_seconds. */
  earlySec: number;
  /** Dynamic start: the first shot changes before this: abcds-detector dynamic_cutoff_ms / 1000. */
  dynamicStartCutSec: number;
  /** Quick pacing: this many shots within any window of `quickPacingWindowSec` (a_quick_pacing.py). */
  quickPacingShots: number;
  quickPacingWindowSec: number;
  /** Overall pacing: the average shot is at most this long: abcds-detector avg_shot_duration_seconds. */
  overallPacingMaxAvgShotSec: number;
}

export const ABCD_THRESHOLDS: Readonly<AbcdThresholds> = {
  earlySec: 5,
  dynamicStartCutSec: 3,
  quickPacingShots: 5,
  quickPacingWindowSec: 5,
  overallPacingMaxAvgShotSec: 2,
};

export const ABCD_FEATURE_IDS = [
  'dynamic_start',
  'quick_pacing',
  'quick_pacing_first_5s',
  'supers',
  'supers_with_audio',
  'brand_visuals',
  'brand_visuals_first_5s',
  'brand_mention_speech',
  'brand_mention_speech_first_5s',
  'product_visuals',
  'product_visuals_first_5s',
  'product_mention_text',
  'product_mention_text_first_5s',
  'product_mention_speech',
  'product_mention_speech_first_5s',
  'overall_pacing',
  'presence_of_people',
  'presence_of_people_first_5s',
  'visible_face_first_5s',
  'visible_face_close_up',
  'audio_speech_early_first_5s',
  'call_to_action_text',
  'call_to_action_speech',
] as const;
export type AbcdFeatureId = (typeof ABCD_FEATURE_IDS)[number];

export interface FeatureContext {
  brief: Brief;
  timeline: AbcdTimeline;
  thresholds: AbcdThresholds;
}

export type FeatureOutcome = { applicable: true; passed: boolean; value: string } | { applicable: false; reason: string };

export interface AbcdFeature {
  id: AbcdFeatureId;
  category: AbcdCategory;
  /** The abcds-detector feature id this follows. */
  source: string;
  /** The criterion, in words. */
  expected(context: FeatureContext): string;
  evaluate(context: FeatureContext): FeatureOutcome;
}

const NO_PEOPLE = 'the brief supplies no people to show';
const NO_PRODUCT_IMAGERY = 'the brief supplies no product imagery; scenes are typographic';

function secs(value: number): string {
  return `${value.toFixed(1)} s`;
}

function outcome(passed: boolean, value: string): FeatureOutcome {
  return { applicable: true, passed, value };
}

/** Start times of the shots: the ad's start, then each cut. */
function shotStarts(timeline: AbcdTimeline): number[] {
  return [0, ...timeline.cutsSec];
}

/** The most shots starting within any window of `windowSec` (shot starts are ascending). */
function mostShotsInWindow(starts: readonly number[], windowSec: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < starts.length; i++) {
    while (j < starts.length && starts[j] < starts[i] + windowSec) j++;
    most = Math.max(most, j - i);
  }
  return most;
}

/** How a brief field is found: brand names word for word, products and calls to action also as plurals. */
interface Phrase {
  text(brief: Brief): string;
  plurals: boolean;
}

/** A text feature: `phrase` in a super, at any time or (`early`) shown by the early cut-off. */
function shown(phrase: Phrase, early: boolean) {
  return (context: FeatureContext): FeatureOutcome => {
    const supers = shownMentions(context.timeline, phrase.text(context.brief), { plurals: phrase.plurals });
    const from = context.timeline.source.supers;
    if (supers.length === 0) return outcome(false, `not shown (${from})`);
    const first = supers[0];
    const passed = !early || first.startSec <= context.thresholds.earlySec;
    return outcome(passed, `${passed ? 'shown' : 'first shown'} ${secs(first.startSec)}, scene ${first.sceneIndex} (${from})`);
  };
}

/** A speech feature: `phrase` heard at any time or (`early`) finished by the early cut-off. */
function heard(phrase: Phrase, early: boolean) {
  return (context: FeatureContext): FeatureOutcome => {
    const said = spokenMentions(context.timeline, phrase.text(context.brief), { plurals: phrase.plurals });
    const from = context.timeline.source.speech;
    if (said.length === 0) return outcome(false, `not heard (${from})`);
    const first = said[0];
    const passed = !early || first.lastWordSec <= context.thresholds.earlySec;
    return outcome(passed, `${passed ? 'heard' : 'first heard'} ~${secs(first.startSec)}, scene ${first.sceneIndex} (${from})`);
  };
}

function notApplicable(reason: string) {
  return (): FeatureOutcome => ({ applicable: false, reason });
}

const brand: Phrase = { text: (brief) => brief.brand.name, plurals: false };
const product: Phrase = { text: (brief) => brief.product, plurals: true };
const callToAction: Phrase = { text: (brief) => brief.callToAction, plurals: true };
const early = (context: FeatureContext) => `by ${secs(context.thresholds.earlySec)}`;

export const ABCD_FEATURES: readonly AbcdFeature[] = [
  {
    id: 'dynamic_start',
    category: 'A',
    source: 'a_dynamic_start',
    expected: ({ thresholds }) => `first shot changes before ${secs(thresholds.dynamicStartCutSec)}`,
    evaluate: ({ timeline, thresholds }) => {
      const first = timeline.cutsSec[0];
      if (first === undefined) return outcome(false, `no shot change (${timeline.source.cuts})`);
      return outcome(first < thresholds.dynamicStartCutSec, `first cut ${secs(first)} (${timeline.source.cuts})`);
    },
  },
  {
    id: 'quick_pacing',
    category: 'A',
    source: 'a_quick_pacing',
    expected: ({ thresholds }) => `${thresholds.quickPacingShots}+ shots within some ${secs(thresholds.quickPacingWindowSec)}`,
    evaluate: ({ timeline, thresholds }) => {
      const most = mostShotsInWindow(shotStarts(timeline), thresholds.quickPacingWindowSec);
      return outcome(most >= thresholds.quickPacingShots, `at most ${most} shots in ${secs(thresholds.quickPacingWindowSec)} (${timeline.source.cuts})`);
    },
  },
  {
    id: 'quick_pacing_first_5s',
    category: 'A',
    source: 'a_quick_pacing_1st_secs',
    expected: ({ thresholds }) => `${thresholds.quickPacingShots}+ shots in the first ${secs(thresholds.earlySec)}`,
    evaluate: ({ timeline, thresholds }) => {
      const count = shotStarts(timeline).filter((start) => start < thresholds.earlySec).length;
      return outcome(count >= thresholds.quickPacingShots, `${count} shots in the first ${secs(thresholds.earlySec)} (${timeline.source.cuts})`);
    },
  },
  {
    id: 'supers',
    category: 'A',
    source: 'a_supers',
    expected: () => 'text overlays (supers) at some time',
    evaluate: ({ timeline }) => outcome(timeline.supers.length > 0, `${timeline.supers.length} supers (${timeline.source.supers})`),
  },
  {
    id: 'supers_with_audio',
    category: 'A',
    source: 'a_supers_with_audio',
    expected: () => 'speech says what a super shows',
    evaluate: ({ timeline }) => {
      // As a_supers.py: a super line counts when it is longer than 3 characters and found in the transcript.
      const heardLines = heardWords(timeline);
      const spoken = timeline.supers.filter((shownSuper) =>
        shownSuper.text
          .split('\n')
          .filter((line) => line.trim().length > 3)
          .some((line) => heardLines.some((words) => findPhrase(words, normalisedWords(line), { plurals: true }).length > 0)),
      );
      return outcome(spoken.length > 0, `${spoken.length}/${timeline.supers.length} supers spoken (${timeline.source.speech})`);
    },
  },
  {
    id: 'brand_visuals',
    category: 'B',
    source: 'b_brand_visuals',
    expected: ({ brief }) => `brand "${brief.brand.name}" shown on screen`,
    evaluate: shown(brand, false),
  },
  {
    id: 'brand_visuals_first_5s',
    category: 'B',
    source: 'b_brand_visuals_1st_5_secs',
    expected: (context) => `brand "${context.brief.brand.name}" shown on screen ${early(context)}`,
    evaluate: shown(brand, true),
  },
  {
    id: 'brand_mention_speech',
    category: 'B',
    source: 'b_brand_mention_speech',
    expected: ({ brief }) => `brand "${brief.brand.name}" heard`,
    evaluate: heard(brand, false),
  },
  {
    id: 'brand_mention_speech_first_5s',
    category: 'B',
    source: 'b_brand_mention_speech_1st_5_secs',
    expected: (context) => `brand "${context.brief.brand.name}" heard ${early(context)}`,
    evaluate: heard(brand, true),
  },
  {
    id: 'product_visuals',
    category: 'B',
    source: 'b_product_visuals',
    expected: () => 'product or packaging visible',
    evaluate: notApplicable(NO_PRODUCT_IMAGERY),
  },
  {
    id: 'product_visuals_first_5s',
    category: 'B',
    source: 'b_product_visuals_1st_5_secs',
    expected: (context) => `product or packaging visible ${early(context)}`,
    evaluate: notApplicable(NO_PRODUCT_IMAGERY),
  },
  {
    id: 'product_mention_text',
    category: 'B',
    source: 'b_product_mention_text',
    expected: ({ brief }) => `product "${brief.product}" in a super`,
    evaluate: shown(product, false),
  },
  {
    id: 'product_mention_text_first_5s',
    category: 'B',
    source: 'b_product_mention_text_1st_5_secs',
    expected: (context) => `product "${context.brief.product}" in a super ${early(context)}`,
    evaluate: shown(product, true),
  },
  {
    id: 'product_mention_speech',
    category: 'B',
    source: 'b_product_mention_speech',
    expected: ({ brief }) => `product "${brief.product}" heard`,
    evaluate: heard(product, false),
  },
  {
    id: 'product_mention_speech_first_5s',
    category: 'B',
    source: 'b_product_mention_speech_1st_5_secs',
    expected: (context) => `product "${context.brief.product}" heard ${early(context)}`,
    evaluate: heard(product, true),
  },
  {
    id: 'overall_pacing',
    category: 'C',
    source: 'c_overall_pacing',
    // The criterion text there reads "greater than 2 seconds per shot", but its detector (c_overall_pacing.py)
    // passes when the average shot is at most avg_shot_duration_seconds; this follows the detector.
    expected: ({ thresholds }) => `average shot at most ${secs(thresholds.overallPacingMaxAvgShotSec)}`,
    evaluate: ({ timeline, thresholds }) => {
      const average = timeline.durationSec / (timeline.cutsSec.length + 1);
      return outcome(average <= thresholds.overallPacingMaxAvgShotSec, `average shot ${secs(average)} (${timeline.source.cuts})`);
    },
  },
  {
    id: 'presence_of_people',
    category: 'C',
    source: 'c_presence_of_people',
    expected: () => 'people shown',
    evaluate: notApplicable(NO_PEOPLE),
  },
  {
    id: 'presence_of_people_first_5s',
    category: 'C',
    source: 'c_presence_of_people_1st_5_secs',
    expected: (context) => `people shown ${early(context)}`,
    evaluate: notApplicable(NO_PEOPLE),
  },
  {
    id: 'visible_face_first_5s',
    category: 'C',
    source: 'c_visible_face',
    expected: (context) => `a face visible ${early(context)}`,
    evaluate: notApplicable(NO_PEOPLE),
  },
  {
    id: 'visible_face_close_up',
    category: 'C',
    source: 'c_visible_face_close_up',
    expected: () => 'a close-up of a face',
    evaluate: notApplicable(NO_PEOPLE),
  },
  {
    id: 'audio_speech_early_first_5s',
    category: 'D',
    source: 'd_audio_speech_early_1st_5_secs',
    expected: (context) => `speech starts ${early(context)}`,
    evaluate: ({ timeline, thresholds }) => {
      const onset = timeline.speechOnsetSec;
      if (onset === null) return outcome(false, `no speech (${timeline.source.speech})`);
      return outcome(onset <= thresholds.earlySec, `speech starts ${secs(onset)} (${timeline.source.speech})`);
    },
  },
  {
    id: 'call_to_action_text',
    category: 'D',
    source: 'd_call_to_action_text',
    expected: ({ brief }) => `"${brief.callToAction}" in a super`,
    evaluate: shown(callToAction, false),
  },
  {
    id: 'call_to_action_speech',
    category: 'D',
    source: 'd_call_to_action_speech',
    expected: ({ brief }) => `"${brief.callToAction}" heard`,
    evaluate: heard(callToAction, false),
  },
];
