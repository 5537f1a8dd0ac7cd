import type { Brief } from '../../schemas/brief';
import type { QaCheck, QaReport } from '../../schemas/job';
import type { Manifest } from '../../schemas/manifest';

/** Lower-case words, punctuation dropped, so "Save 20%!" matches "save 20%". */
function words(text: string): string[] {
  return text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}%$€£]+/gu) ?? [];
}

function mentions(haystack: string, needle: string): boolean {
  const hay = ` ${words(haystack).join(' ')} `;
  return hay.includes(` ${words(needle).join(' ')} `);
}

function check(name: string, passed: boolean, value: QaCheck['value'], expected: string, subject?: string): QaCheck {
  return subject === undefined ? { name, passed, value, expected } : { name, passed, value, expected, subject };
}

/** Checks that must all pass whatever the score: an ad without them is not the ad that was ordered. */
const REQUIRED = new Set(['brand_named', 'call_to_action_shown', 'call_to_action_spoken', 'key_message_covered']);

/**
 * Reviews a storyboard against its brief: brand named (and early), every key message covered on screen or in
 * speech, the call to action shown and spoken at the end, and the timing matching the ordered duration.
 */
export function reviewManifest(brief: Brief, manifest: Manifest, bar: number): QaReport {
  const everything = manifest.scenes.map((scene) => `${scene.onScreenText}\n${scene.voiceover}`).join('\n');
  const brand = brief.brand.name;
  const first = manifest.scenes[0];
  const last = manifest.scenes[manifest.scenes.length - 1];
  const sceneTotal = manifest.scenes.reduce((sum, scene) => sum + scene.durationSec, 0);
  const checks: QaCheck[] = [
    check('brand_named', mentions(everything, brand), mentions(everything, brand), `mentions "${brand}"`),
    check('brand_in_first_scene', mentions(`${first.onScreenText}\n${first.voiceover}`, brand), first.role, `first scene names "${brand}"`),
    ...brief.keyMessages.map((message) =>
      check('key_message_covered', mentions(everything, message), mentions(everything, message), 'on screen or spoken', message),
    ),
    check('call_to_action_shown', mentions(last.onScreenText, brief.callToAction), last.onScreenText, `last scene shows "${brief.callToAction}"`),
    check('call_to_action_spoken', mentions(last.voiceover, brief.callToAction), last.voiceover, `last scene says "${brief.callToAction}"`),
    check('duration_planned', Math.abs(sceneTotal - brief.durationSec) < 0.05, sceneTotal, `${brief.durationSec} s`),
  ];
  const score = checks.filter((c) => c.passed).length / checks.length;
  const requiredHold = checks.every((c) => c.passed || !REQUIRED.has(c.name));
  return { passed: requiredHold && score >= bar, score: Math.round(score * 1000) / 1000, bar, checks };
}

export function failedChecks(report: QaReport): string {
  return report.checks
    .filter((c) => !c.passed)
    .map((c) => (c.subject === undefined ? c.name : `${c.name} (${c.subject})`))
    .join(', ');
}
