/** Splits a total duration into scene lengths, in tenths of a second so the parts add up exactly. */
export function allocateDurations(totalSec: number, weights: readonly number[]): number[] {
  const totalTenths = Math.round(totalSec * 10);
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  const tenths = weights.map((weight) => Math.floor((totalTenths * weight) / weightSum));
  let remainder = totalTenths - tenths.reduce((sum, part) => sum + part, 0);
  for (let i = 0; remainder > 0; i = (i + 1) % tenths.length, remainder--) tenths[i] += 1;
  return tenths.map((part) => part / 10);
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
