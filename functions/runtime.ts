import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Firestore, v1 } from '@google-cloud/firestore';
import { grpc, type CallOptions } from 'google-gax';
import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';
import { deleteApp, initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { FirebaseIdentity } from '../shared/adapters/firebase/firebase_identity';
import { FirestoreApiKeyStore } from '../shared/adapters/firestore/firestore_api_key_store';
import { FirestoreAuditLog } from '../shared/adapters/firestore/firestore_audit_log';
import { FirestoreBatchStore } from '../shared/adapters/firestore/firestore_batch_store';
import { FirestoreRateLimiter, type FirestoreRpcClient } from '../shared/adapters/firestore/firestore_rate_limiter';
import { FirestoreJobStore } from '../shared/adapters/firestore/firestore_job_store';
import { FirestoreFiringLedger } from '../shared/adapters/firestore/firestore_firing_ledger';
import { FirestoreDocumentReader } from '../shared/adapters/firestore/firestore_document_reader';
import { FirestoreDrReportStore } from '../shared/adapters/firestore/firestore_dr_report_store';
import { FirestoreWebhookDeliveryLog } from '../shared/adapters/firestore/firestore_webhook_delivery_log';
import { FirestoreWebhookStore } from '../shared/adapters/firestore/firestore_webhook_store';
import { GuardedWebhookTransport } from '../shared/adapters/http/guarded_webhook_transport';
import { FirestoreBudgetReports } from '../shared/adapters/firestore/firestore_budget_reports';
import { EmulatorBackups } from '../shared/adapters/local/emulator_backups';
import { ManagedFirestoreBackups } from '../shared/adapters/gcp/managed_firestore_backups';
import { startEmulator } from '../local/emulators';
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
import type { ApiKeyStore } from '../shared/ports/api_key_store';
import type { AuditLog } from '../shared/ports/audit_log';
import type { BatchStore } from '../shared/ports/batch_store';
import type { BlobStore } from '../shared/ports/blob_store';
import type { BackupService } from '../shared/ports/disaster_recovery';
import type { DrReportStore } from '../shared/ports/dr_report_store';
import type { BudgetReportStore } from '../shared/ports/budget_reports';
import type { IdTokenVerifier, MemberDirectory } from '../shared/ports/identity';
import type { RateLimiter } from '../shared/ports/rate_limiter';
import type { EventBus } from '../shared/ports/event_bus';
import type { FiringLedger } from '../shared/ports/firing_ledger';
import type { JobStore } from '../shared/ports/job_store';
import type { WebhookDeliveryLog } from '../shared/ports/webhook_delivery_log';
import type { WebhookStore } from '../shared/ports/webhook_store';
import type { WebhookTransport } from '../shared/ports/webhook_transport';
import type { AdAssembler, MediaAnalyzer, MediaProber, MusicComposer, SceneRenderer, StillRenderer, VoiceSynthesizer } from '../shared/ports/media';

/** Everything the functions talk to, behind ports; built once per process from the configuration. */
export interface Runtime {
  config: Config;
  jobs: JobStore;
  batches: BatchStore;
  apiKeys: ApiKeyStore;
  audit: AuditLog;
  rateLimiter: RateLimiter;
  /** Firebase sign-in: checks ID tokens and keeps each member's tenant and role. */
  identity: IdTokenVerifier & MemberDirectory;
  events: EventBus;
  blobs: BlobStore;
  /** Which firings of the scheduled services have run. */
  firings: FiringLedger;
  /** Backs Firestore up and restores it, for the DR check. */
  backups: BackupService;
  drReports: DrReportStore;
  webhooks: WebhookStore;
  webhookDeliveries: WebhookDeliveryLog;
  /** Sends webhook deliveries where the URL policy of the configured mode allows. */
  webhookTransport: WebhookTransport;
  /** The budget check's reports and the project's Cloud Billing figures. */
  budgetReports: BudgetReportStore;
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
  /** Closes the clients' connections. */
  close(): Promise<void>;
}

/** The DR check's backups: the emulators' export and a second emulator locally, managed export/import on GCP. */
function buildBackups(config: Config, firestore: Firestore): { service: BackupService; close(): Promise<void> } {
  const live = new FirestoreDocumentReader(firestore);
  if (config.mode === 'local') {
    const logDir = path.join(path.dirname(config.dataDir), 'logs', 'dr-scratch');
    const service = new EmulatorBackups({
      projectId: config.projectId,
      liveHost: config.firestoreEmulatorHost,
      backupsDir: path.join(config.dataDir, 'backups'),
      live,
      launch: async (exportFile) => {
        await mkdir(logDir, { recursive: true });
        return startEmulator('firestore', logDir, [`--import-data=${exportFile}`]);
      },
    });
    return { service, close: async () => undefined };
  }
  const admin = new v1.FirestoreAdminClient({ projectId: config.projectId });
  const scratch = new Firestore({ projectId: config.projectId, databaseId: config.drScratchDatabase, ignoreUndefinedProperties: true });
  const service = new ManagedFirestoreBackups({
    admin,
    projectId: config.projectId,
    liveDatabase: '(default)',
    bucket: config.backupBucket,
    scratch,
    scratchDatabase: config.drScratchDatabase,
    live,
  });
  return { service, close: async () => void (await Promise.all([admin.close(), scratch.terminate()])) };
}

let firebaseApps = 0;

/**
 * The Firestore v1 client the rate limiter commits its counters with. Locally it talks to the emulator without TLS
 * and as its admin (the header the emulator takes for that; only ever sent in local mode).
 */
function firestoreRpc(config: Config): { client: FirestoreRpcClient; callOptions: CallOptions } {
  if (config.mode === 'gcp') return { client: new v1.FirestoreClient({ projectId: config.projectId }), callOptions: {} };
  const [servicePath, port] = config.firestoreEmulatorHost.split(':');
  return {
    client: new v1.FirestoreClient({ servicePath, port: Number(port), sslCreds: grpc.credentials.createInsecure(), projectId: config.projectId }),
    callOptions: { otherArgs: { headers: { Authorization: 'Bearer owner' } } },
  };
}

/** Chooses the adapters for the configured mode: emulators and disk locally, Google Cloud services on GCP. */
export async function buildRuntime(config: Config): Promise<Runtime> {
  const firestore = new Firestore({ projectId: config.projectId, ignoreUndefinedProperties: true });
  const pubsub = new PubSub({ projectId: config.projectId });
  // A named app per runtime, so tests can build several; in local mode FIREBASE_AUTH_EMULATOR_HOST points it at the emulator.
  const firebase = initializeApp({ projectId: config.projectId }, `aiprod-${process.pid}-${++firebaseApps}`);
  const blobs: BlobStore =
    config.mode === 'local'
      ? new DiskBlobStore(path.join(config.dataDir, 'blobs'))
      : new GcsBlobStore(new Storage({ projectId: config.projectId }).bucket(config.mediaBucket));
  const backups = buildBackups(config, firestore);
  const rpc = firestoreRpc(config);
  const tools = await locateFfmpeg();
  const scratchDir = path.join(tmpdir(), 'aiprod');
  const generative = await buildGenerativeRuntime(loadProvidersConfig(), { firestore, ffmpegPath: tools.ffmpeg });
  return {
    config,
    jobs: new FirestoreJobStore(firestore),
    batches: new FirestoreBatchStore(firestore),
    apiKeys: new FirestoreApiKeyStore(firestore),
    audit: new FirestoreAuditLog(firestore),
    rateLimiter: new FirestoreRateLimiter(rpc.client, `projects/${config.projectId}/databases/(default)`, rpc.callOptions),
    identity: new FirebaseIdentity(getAuth(firebase)),
    events: new PubSubEventBus(pubsub),
    blobs,
    firings: new FirestoreFiringLedger(firestore),
    backups: backups.service,
    drReports: new FirestoreDrReportStore(firestore),
    webhooks: new FirestoreWebhookStore(firestore),
    webhookDeliveries: new FirestoreWebhookDeliveryLog(firestore),
    webhookTransport: new GuardedWebhookTransport(config.mode),
    budgetReports: new FirestoreBudgetReports(firestore),
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
    close: async () => {
      await Promise.all([firestore.terminate(), pubsub.close(), deleteApp(firebase), backups.close(), rpc.client.close(), generative.close()]);
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
