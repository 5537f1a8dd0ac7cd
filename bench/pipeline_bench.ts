import { followJob } from '../local/follow_job';
import type { LocalPlatform } from '../local/local_platform';
import type { Job } from '../shared/schemas/job';
import { formatMs, quantile } from './stats';

async function submitAndFollow(platform: LocalPlatform, brief: unknown): Promise<Job> {
  const response = await fetch(`${platform.apiUrl}/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': platform.adminKey },
    body: JSON.stringify(brief),
  });
  const { id } = (await response.json()) as { id?: string };
  if (response.status !== 201 || id === undefined) throw new Error(`POST /v1/jobs answered ${response.status}`);
  return followJob(platform.runtime.jobs, id, () => undefined);
}

/** Publish → next function running: from each transition's commit to the next stage's first lease. */
export function hopLatencies(job: Job): number[] {
  return job.stateHistory.slice(1).flatMap((entry) => {
    const startedAt = job.timings[entry.to]?.startedAt;
    return startedAt === undefined ? [] : [Date.parse(startedAt) - Date.parse(entry.at)];
  });
}

export async function benchHops(platform: LocalPlatform, brief: unknown, jobs: number): Promise<void> {
  const hops: number[] = [];
  for (let i = 0; i < jobs; i++) hops.push(...hopLatencies(await submitAndFollow(platform, brief)));
  console.log(`per-hop overhead (publish → next function running), ${hops.length} hops over ${jobs} jobs:`);
  console.log(`  p50 ${formatMs(quantile(hops, 0.5))}   p99 ${formatMs(quantile(hops, 0.99))}   (goal: p50 ≤ 15 ms)`);
}

/** The whole job, submit to DELIVERED, against the time its RENDERING state took inside it. */
export async function benchEndToEnd(platform: LocalPlatform, brief: unknown, label: string): Promise<void> {
  const job = await submitAndFollow(platform, brief);
  if (job.state !== 'DELIVERED') throw new Error(`bench job failed: ${job.error?.reason ?? 'unknown'}`);
  const at = (state: string) => Date.parse(job.stateHistory.find((e) => e.to === state)?.at ?? '');
  const endToEnd = at('DELIVERED') - Date.parse(job.createdAt);
  const rendering = at('QA_TECH') - at('RENDERING');
  console.log(`end-to-end ${label}: submit → DELIVERED ${formatMs(endToEnd)}`);
  console.log(`  of which RENDERING (voice, scene fan-out, assembly) ${formatMs(rendering)}   ratio ${(endToEnd / rendering).toFixed(2)} × (goal ≤ 1.3 ×)`);
  const stages = Object.entries(job.timings).map(([state, timing]) => `${state} ${formatMs(timing?.durationMs ?? 0)}`);
  console.log(`  stage times: ${stages.join(', ')}`);
}
