import { randomUUID } from 'node:crypto';
import { validateBrief } from '../../shared/domain/brief_validation';
import { newJob } from '../../shared/domain/new_job';
import { planOffline } from '../../shared/domain/planning/offline_planner';
import { applyTransition } from '../../shared/domain/transitions';
import type { BriefInput } from '../../shared/schemas/brief';
import type { Job } from '../../shared/schemas/job';
import { PRESETS } from '../../shared/schemas/preset';
import type { State } from '../../shared/stages';
import { blobKeys } from '../../functions/stages/blob_keys';
import { shortBrief } from './fixtures';
import type { TestPlatform } from './root_hooks';

/** The way a job really gets to each state, one transition after another. */
const PATHS: Partial<Record<State, State[]>> = {
  SUBMITTED: [],
  INPUT_SANITIZED: ['INPUT_SANITIZED'],
  WAITING_APPROVAL: ['INPUT_SANITIZED', 'CREATIVE_DIRECTION', 'WAITING_APPROVAL'],
  RENDERING: ['INPUT_SANITIZED', 'CREATIVE_DIRECTION', 'RENDERING'],
  DELIVERED: ['INPUT_SANITIZED', 'CREATIVE_DIRECTION', 'RENDERING', 'QA_TECH', 'QA_SEMANTIC', 'DELIVERED'],
  ERROR: ['INPUT_SANITIZED', 'ERROR'],
  CANCELLED: ['INPUT_SANITIZED', 'CANCELLED'],
};

/**
 * A job document in `state`, written straight to the store without publishing anything, so nothing works on it
 * unless a test (or an API call) moves it on. A DELIVERED job gets small stand-in delivery files.
 */
export async function jobInState(platform: TestPlatform, tenant: string, state: State, overrides: Partial<BriefInput> = {}): Promise<Job> {
  const validation = validateBrief(shortBrief({ preset: 'brand_campaign', ...overrides }));
  if (!validation.ok) throw new Error('fixture brief is invalid');
  const brief = validation.brief;
  const at = new Date();
  let job = newJob({ id: `job_${randomUUID().replace(/-/g, '')}`, tenant, brief, createdBy: null }, at);
  for (const to of PATHS[state] ?? []) {
    if (to === 'INPUT_SANITIZED') job = { ...job, preset: PRESETS[brief.preset] };
    if (to === 'CREATIVE_DIRECTION') job = { ...job, manifest: planOffline(brief) };
    if (to === 'WAITING_APPROVAL') job = { ...job, approval: { requestedAt: at.toISOString(), storyboardUri: platform.runtime.blobs.uri(blobKeys.storyboard(job.id)) } };
    job = applyTransition(job, { to, reason: 'test fixture', causeEventId: job.stateEventId }, at).job;
  }
  if (state === 'DELIVERED' || state === 'ERROR' || state === 'CANCELLED') job = { ...job, completedAt: at.toISOString() };
  if (state === 'ERROR') job = { ...job, error: { state: 'INPUT_SANITIZED', reason: 'test fixture failure' } };
  if (state === 'DELIVERED') {
    const video = blobKeys.delivery(job.id, 'lumen-coffee-6s-9x16.mp4');
    const uri = await platform.runtime.blobs.putBytes(video, Buffer.from('not really a video'), 'video/mp4');
    await platform.runtime.blobs.putBytes(blobKeys.receipt(job.id), Buffer.from(JSON.stringify({ jobId: job.id })), 'application/json');
    job = {
      ...job,
      outputs: {
        videos: [{ aspectRatio: '9:16', blobKey: video, uri, voiceTrackKey: video, posterUri: uri, contactSheetUri: uri, width: 1080, height: 1920, durationSec: 6, bytes: 18 }],
        receiptUri: platform.runtime.blobs.uri(blobKeys.receipt(job.id)),
      },
    };
  }
  await platform.runtime.jobs.create(job);
  return job;
}
