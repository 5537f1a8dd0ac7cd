export { scoreAbcd, toQaReport, describeAbcd, type AbcdInput, type AbcdReport, type AbcdNotApplicable } from './score';
export { plannedSupers, type AbcdMediaEvidence, type SuperShown } from './evidence';
export { ABCD_FEATURES, ABCD_FEATURE_IDS, ABCD_THRESHOLDS, type AbcdCategory, type AbcdFeatureId, type AbcdThresholds } from './features';
export { mentions, normalisedWords } from './text';
export { judgeQuestions, mergeJudgement, type MergedJudgement } from './judge_merge';
