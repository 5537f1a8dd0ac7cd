import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { followJob } from '../local/follow_job';
import type { LocalPlatform } from '../local/local_platform';
import { validateBrief } from '../shared/domain/brief_validation';
import { planOffline } from '../shared/domain/planning/offline_planner';
import type { Job } from '../shared/schemas/job';
import type { VoiceClip } from '../shared/ports/media';
import { formatMs, quantile } from './stats';

async function submitAndFollow(platform: LocalPlatform, brief: unknown): Promise<Job> {
  const response = await fetch(`${platform.apiUrl}/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(brief) });
  const { id } = (await response.json()) as { id: string };
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

/** The whole job against the time its render alone takes (voice + ffmpeg, the same manifest and formats). */
export async function benchEndToEnd(platform: LocalPlatform, brief: unknown, label: string): Promise<void> {
  const started = Date.now();
  const job = await submitAndFollow(platform, brief);
  const endToEnd = Date.parse(job.stateHistory.find((e) => e.to === 'DELIVERED')?.at ?? '') - Date.parse(job.createdAt);
  const closeToResponse = Date.now() - started;
  const validation = validateBrief(brief);
  if (!validation.ok || job.state !== 'DELIVERED') throw new Error(`bench job failed: ${job.error?.reason ?? 'invalid brief'}`);
  const manifest = planOffline(validation.brief);
  const workDir = path.join(platform.runtime.scratchDir, 'bench-render');
  await mkdir(workDir, { recursive: true });
  const renderStarted = Date.now();
  const voice: VoiceClip[] = [];
  for (const scene of manifest.scenes) {
    voice.push(await platform.runtime.voice.synthesize(scene.voiceover, path.join(workDir, `v${scene.index}.wav`), scene.durationSec - 0.3));
  }
  for (const aspectRatio of manifest.aspectRatios) {
    await platform.runtime.renderer.render({ manifest, aspectRatio, voice, outPath: path.join(workDir, 'out.mp4'), workDir });
  }
  const renderAlone = Date.now() - renderStarted;
  await rm(workDir, { recursive: true, force: true });
  console.log(`end-to-end ${label}: submit → DELIVERED ${formatMs(endToEnd)} (until the client saw it finished: ${formatMs(closeToResponse)})`);
  console.log(`  render alone (voice + ffmpeg): ${formatMs(renderAlone)}   ratio ${(endToEnd / renderAlone).toFixed(2)} × (goal ≤ 1.3 ×)`);
  const stages = Object.entries(job.timings).map(([state, timing]) => `${state} ${formatMs(timing?.durationMs ?? 0)}`);
  console.log(`  stage times: ${stages.join(', ')}`);
}
