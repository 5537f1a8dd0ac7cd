/** Splits a total duration into scene lengths, in tenths of a second so the parts add up exactly. */
export function allocateDurations(totalSec: number, weights: readonly number[]): number[] {
  const totalTenths = Math.round(totalSec * 10);
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  const tenths = weights.map((weight) => Math.floor((totalTenths * weight) / weightSum));
  let remainder = totalTenths - tenths.reduce((sum, part) => sum + part, 0);
  for (let i = 0; remainder > 0; i = (i + 1) % tenths.length, remainder--) tenths[i] += 1;
  return tenths.map((part) => part / 10);
}

/**
 * Like allocateDurations, but no part grows past its cap (in seconds, or undefined for none): what a capped
 * part would have taken goes to the others.
 */
export function allocateCapped(totalSec: number, weights: readonly number[], caps: readonly (number | undefined)[]): number[] {
  const fixed = new Map<number, number>();
  for (;;) {
    const freeIndexes = weights.map((_, i) => i).filter((i) => !fixed.has(i));
    const fixedSec = [...fixed.values()].reduce((sum, sec) => sum + sec, 0);
    const free = allocateDurations(totalSec - fixedSec, freeIndexes.map((i) => weights[i]));
    const over = freeIndexes.filter((i, j) => caps[i] !== undefined && free[j] > (caps[i] as number));
    if (over.length === 0 || over.length === freeIndexes.length) return weights.map((_, i) => fixed.get(i) ?? free[freeIndexes.indexOf(i)]);
    for (const i of over) fixed.set(i, Math.round((caps[i] as number) * 10) / 10);
  }
}

/** Start times of consecutive scenes, rounded to tenths. */
export function startTimes(durations: readonly number[]): number[] {
  let elapsedTenths = 0;
  return durations.map((duration) => {
    const start = elapsedTenths / 10;
    elapsedTenths += Math.round(duration * 10);
    return start;
  });
}
