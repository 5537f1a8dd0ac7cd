import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { chooseBackends } from '../../shared/domain/backend_choice';
import { sourceKey, sourceRatios } from '../../shared/domain/planning/sources';
import { computeEntries, ledgerEntry, voicePriceItem } from '../../shared/domain/prices';
import type { AspectRatio } from '../../shared/schemas/brief';
import type { Job, LedgerEntry, RenderPlan } from '../../shared/schemas/job';
import { workKeyOf, type StageMessage } from '../../shared/schemas/messages';
import type { SceneBackendChoice, SceneSource } from '../../shared/schemas/providers';
import { STAGE_TABLE, STEP_TABLE } from '../../shared/stages';
import type { FollowUp, StageWork } from '../pipeline/stage_work';
import { toSrt, toWebVtt } from '../../shared/domain/subtitles';
import { blobKeys } from './blob_keys';
import { speakAndTime } from './voice_timing';
import { manifestOf, presetOf } from './job_parts';
import { boundVoice, providerSession, withFallback } from './provider_work';
import { generateMessage, sceneRenderMessages, sourceOf } from './render_messages';

/**
 * Everything this RENDERING run still waits for: once every clip is there, the assembly (which moves the job on, so
 * while the job is still here the assembly is not done); else the next generate step of every pending source and
 * the render of every (scene, format) that is offline or whose source is ready. Sent after the plan commits, and
 * again whenever this state's message comes back (a redelivery, the stuck-job sweeper), so a lost message is sent
 * after all; duplicates are settled by work key.
 */
function renderMessages(job: Job, message: StageMessage): FollowUp[] {
  const render = job.render;
  if (render === null || render.eventId !== message.eventId) return [];
  const manifest = manifestOf(job);
  if (Object.keys(render.clips).length === manifest.scenes.length * manifest.aspectRatios.length) {
    const assemble: StageMessage = { jobId: job.id, state: message.state, eventId: message.eventId, step: { kind: 'assemble' } };
    return [{ topic: STEP_TABLE.assemble.topic, message: assemble }];
  }
  const formats = manifest.aspectRatios;
  const generates = Object.values(render.sources)
    .filter((source) => source.status === 'pending')
    .map((source) => generateMessage(job, message.eventId, source, nextAttempt(source)));
  const renders = sceneRenderMessages(job, message.eventId, (scene, format) => sourceOf(render, scene.index, format, formats)?.status !== 'pending');
  return [...generates, ...renders];
}

/** The generate attempt a pending source waits for: 0 until its clip is started, then the poll after the last. */
function nextAttempt(source: SceneSource): number {
  return source.operationName === null ? 0 : source.polls + 1;
}

/** A pending source for every format a generated scene needs. */
function plannedSources(choices: readonly SceneBackendChoice[], formats: readonly AspectRatio[], changedBy: string): Record<string, SceneSource> {
  const sources: Record<string, SceneSource> = {};
  for (const { sceneIndex, backend } of choices) {
    for (const sourceRatio of sourceRatios(backend, formats)) {
      sources[sourceKey(sceneIndex, sourceRatio)] = { sceneIndex, sourceRatio, planned: backend, backend, status: 'pending', blobKey: null, operationName: null, polls: 0, changedBy, note: '' };
    }
  }
  return sources;
}

function countBackends(choices: readonly SceneBackendChoice[]): string {
  const counts = new Map<string, number>();
  for (const { backend } of choices) counts.set(backend, (counts.get(backend) ?? 0) + 1);
  return [...counts].map(([backend, count]) => `${count} ${backend}`).join(', ');
}

/**
 * The first part of RENDERING: speaks every scene's line (on the provider voice when there is one, falling back
 * to the offline voice for all lines), times the scenes to the measured voice, writes the subtitles and the music
 * bed, chooses each scene's backend from the preset, the estimate and the tenant's remaining budget, records the
 * storyboard in the brand's memory as approved, then fans out: a generate step per generated source, a render per
 * offline (scene, format).
 */
export const prepareRender: StageWork = {
  async run({ job, message, eventId, runtime }) {
    const planned = manifestOf(job);
    const preset = presetOf(job);
    const { providers, budgets, brandKits, models } = runtime.generative;
    const workDir = path.join(runtime.scratchDir, job.id, eventId, 'prepare');
    await mkdir(workDir, { recursive: true });
    const started = Date.now();
    const session = providerSession(runtime, message);
    try {
      const offlineVoice = async () => ({ offline: true, ...(await speakAndTime(runtime.voice, planned, workDir)) });
      const voice = providers.voice;
      const { manifest, lines, subtitles, offline } =
        voice === null
          ? await offlineVoice()
          : await withFallback(
              session,
              { capability: 'voice', provider: voice.name, instead: `the offline voice ${runtime.voice.name} spoke every line` },
              async () => ({ offline: false, ...(await speakAndTime(boundVoice(voice, session), planned, workDir)) }),
              offlineVoice,
            );
      const placedVoice = await Promise.all(
        lines.map(async (line) => {
          const blobKey = blobKeys.voice(job.id, eventId, line.sceneIndex);
          await runtime.blobs.putFile(blobKey, line.path, 'audio/wav');
          return { sceneIndex: line.sceneIndex, blobKey, startSec: line.startSec, durationSec: line.durationSec };
        }),
      );
      await runtime.blobs.putBytes(blobKeys.subtitles(job.id, eventId, 'srt'), Buffer.from(toSrt(subtitles)), 'application/x-subrip');
      await runtime.blobs.putBytes(blobKeys.subtitles(job.id, eventId, 'vtt'), Buffer.from(toWebVtt(subtitles)), 'text/vtt');
      const musicPath = path.join(workDir, 'music.wav');
      await runtime.composer.compose(manifest.durationSec, `${job.brief.brand.name}|${job.brief.tone ?? ''}`, musicPath);
      const musicKey = blobKeys.music(job.id, eventId);
      await runtime.blobs.putFile(musicKey, musicPath, 'audio/wav');

      // The job's own reservation is part of what is reserved: it is handed back, or the estimate would count twice.
      const remainingUsd = await budgets.remainingUsd(job.tenant, runtime.clock(), job.reservation?.usd ?? 0);
      const choice = chooseBackends({ brief: job.brief, preset, manifest, models, remainingUsd });
      await brandKits.recordApproved(job.tenant, job.brief.brand.name, job.id, manifest, runtime.clock());
      const sources = plannedSources(choice.scenes, manifest.aspectRatios, workKeyOf(message));
      const render: RenderPlan = { eventId, voice: placedVoice, subtitles, musicKey, clips: {}, assemblyQueuedBy: null, backends: choice.scenes, sources };
      const seconds = (Date.now() - started) / 1000;
      const characters = manifest.scenes.reduce((sum, scene) => sum + scene.voiceover.length, 0);
      const voiceLedger: LedgerEntry[] = offline ? [ledgerEntry('RENDERING', voicePriceItem(runtime.voice.name), characters, eventId)] : [];
      const budget = remainingUsd === null ? 'no budget set' : `$${remainingUsd.toFixed(2)} left`;
      return {
        kind: 'settle',
        reason:
          `voice ${lines.reduce((sum, line) => sum + line.durationSec, 0).toFixed(1)} s over ${manifest.scenes.length} scenes; ` +
          `backends ${countBackends(choice.scenes)} (estimate $${choice.estimate.totalUsd.toFixed(4)}, ${budget}); ` +
          `${manifest.scenes.length * manifest.aspectRatios.length} clips to render`,
        patch: { manifest, render, estimate: choice.estimate },
        ledger: [...voiceLedger, ...session.ledger, ...computeEntries('RENDERING', seconds, 1, STAGE_TABLE.RENDERING.memoryMiB / 1024, eventId)],
        events: session.events,
      };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
  followUps: renderMessages,
};
