import { tmpdir } from 'node:os';
import path from 'node:path';
import { Firestore } from '@google-cloud/firestore';
import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';
import { FirestoreJobStore } from '../shared/adapters/firestore/firestore_job_store';
import { PubSubEventBus } from '../shared/adapters/pubsub/pubsub_event_bus';
import { DiskBlobStore } from '../shared/adapters/local/disk_blob_store';
import { GcsBlobStore } from '../shared/adapters/gcp/gcs_blob_store';
import { EspeakVoice } from '../shared/adapters/local/espeak_voice';
import { FestivalVoice } from '../shared/adapters/local/festival_voice';
import { FfmpegAssembler } from '../shared/adapters/ffmpeg/ffmpeg_assembler';
import { FfmpegMediaAnalyzer } from '../shared/adapters/ffmpeg/ffmpeg_media_analyzer';
import { FfmpegSceneRenderer } from '../shared/adapters/ffmpeg/scene_renderer';
import { FfmpegStills } from '../shared/adapters/ffmpeg/ffmpeg_stills';
import { FfmpegMusicComposer } from '../shared/adapters/ffmpeg/music_composer';
import { FfprobeProber } from '../shared/adapters/ffmpeg/ffprobe_prober';
import { locateFfmpeg } from '../shared/adapters/ffmpeg/ffmpeg_binaries';
import { loadConfig, type Config } from '../shared/config';
import { loadProvidersConfig } from '../shared/providers_config';
import { buildGenerativeRuntime, type GenerativeRuntime } from './generative_runtime';
import type { BlobStore } from '../shared/ports/blob_store';
import type { EventBus } from '../shared/ports/event_bus';
import type { JobStore } from '../shared/ports/job_store';
import type { AdAssembler, MediaAnalyzer, MediaProber, MusicComposer, SceneRenderer, StillRenderer, VoiceSynthesizer } from '../shared/ports/media';

/** Everything the functions talk to, behind ports; built once per process from the configuration. */
export interface Runtime {
  config: Config;
  jobs: JobStore;
  events: EventBus;
  blobs: BlobStore;
  voice: VoiceSynthesizer;
  sceneRenderer: SceneRenderer;
  assembler: AdAssembler;
  composer: MusicComposer;
  stills: StillRenderer;
  prober: MediaProber;
  analyzer: MediaAnalyzer;
  /** Generative providers (offline unless AIPROD_PROVIDERS says otherwise), budgets, brand memory, breakers. */
  generative: GenerativeRuntime;
  clock: () => Date;
  /** A local folder for intermediate files of one invocation. */
  scratchDir: string;
  /** Tenant of API requests until authentication assigns one per caller. */
  tenant: string;
  /** Closes the clients' connections. */
  close(): Promise<void>;
}

/** Chooses the adapters for the configured mode: emulators and disk locally, Google Cloud services on GCP. */
export async function buildRuntime(config: Config): Promise<Runtime> {
  const firestore = new Firestore({ projectId: config.projectId, ignoreUndefinedProperties: true });
  const pubsub = new PubSub({ projectId: config.projectId });
  const blobs: BlobStore =
    config.mode === 'local'
      ? new DiskBlobStore(path.join(config.dataDir, 'blobs'))
      : new GcsBlobStore(new Storage({ projectId: config.projectId }).bucket(config.mediaBucket));
  const tools = await locateFfmpeg();
  const scratchDir = path.join(tmpdir(), 'aiprod');
  const generative = await buildGenerativeRuntime(loadProvidersConfig(), { firestore, ffmpegPath: tools.ffmpeg });
  return {
    config,
    jobs: new FirestoreJobStore(firestore),
    events: new PubSubEventBus(pubsub),
    blobs,
    voice: process.env.AIPROD_VOICE === 'espeak-ng' ? new EspeakVoice() : new FestivalVoice(),
    sceneRenderer: new FfmpegSceneRenderer(tools.ffmpeg),
    assembler: new FfmpegAssembler(tools.ffmpeg),
    composer: new FfmpegMusicComposer(tools.ffmpeg, path.join(scratchDir, 'music-cache')),
    stills: new FfmpegStills(tools.ffmpeg),
    prober: new FfprobeProber(tools.ffprobe),
    analyzer: new FfmpegMediaAnalyzer(tools.ffmpeg),
    generative,
    clock: () => new Date(),
    scratchDir,
    tenant: config.mode === 'local' ? config.tenant : 'default',
    close: async () => {
      await Promise.all([firestore.terminate(), pubsub.close(), generative.close()]);
    },
  };
}

let runtime: Promise<Runtime> | null = null;

/** The process's runtime, built from the environment on first use. */
export function getRuntime(): Promise<Runtime> {
  runtime ??= buildRuntime(loadConfig());
  return runtime;
}

/** Installs a runtime built elsewhere (the local runner, tests); must happen before the first invocation. */
export function useRuntime(installed: Runtime): void {
  runtime = Promise.resolve(installed);
}
