import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PubSub } from '@google-cloud/pubsub';
import { loadConfig } from '../shared/config';
import { buildRuntime, useRuntime, type Runtime } from '../functions/runtime';
// Registers every function with the Functions Framework; that touches no service, so it can happen at load.
import '../functions/index';
import { ensureLocalAdminKey } from './admin_key';
import { startAuthEmulator } from './auth_emulator';
import { startEmulator, type RunningEmulator } from './emulators';
import { EventarcBridge } from './eventarc_bridge';
import { FunctionHost } from './function_host';
import { LocalScheduler } from './scheduler';
import { createTopology, pushSubscriptions, type LocalBackoff } from './topology';

export interface LocalPlatformOptions {
  /** Folder for data, logs and scratch files. */
  workDir: string;
  backoff?: LocalBackoff;
  /** Lets a test wrap a port (to inject a fault) before any function runs. */
  decorateRuntime?: (runtime: Runtime) => Runtime;
  /** Fire the scheduled services on their crons (default true); tests fire them themselves. */
  scheduler?: boolean;
  /** The local admin API key to create (else a new one is made). */
  adminKey?: string;
}

/** The security rules the Firestore emulator enforces on client (non-admin) access, as deployed. */
export const FIRESTORE_RULES = path.resolve(__dirname, '..', 'firestore.rules');

export interface LocalPlatform {
  apiUrl: string;
  runtime: Runtime;
  projectId: string;
  /** An admin API key of the local tenant. */
  adminKey: string;
  tenant: string;
  emulators: RunningEmulator[];
  /** Stops everything this platform started: servers, clients, and the emulators' Java processes. */
  stop(): Promise<void>;
}

/**
 * The whole platform on one machine: Google's Firestore and Pub/Sub emulators, every function served by the
 * Functions Framework and fed by push subscriptions through an Eventarc-like bridge, the scheduled services fired on
 * their crons, files on disk.
 */
export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const logDir = path.join(options.workDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const projectId = process.env.GOOGLE_CLOUD_PROJECT ?? 'aiprod-local';
  const started = await Promise.allSettled([
    startEmulator('firestore', logDir, [`--rules=${FIRESTORE_RULES}`]),
    startEmulator('pubsub', logDir),
    startAuthEmulator(options.workDir, projectId),
  ]);
  const emulators = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failed = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(emulators.map((emulator) => emulator.stop()));
    throw failed.reason;
  }
  // Which processes this platform owns, for whoever must check they are gone (or stop them after a crash).
  await writeFile(path.join(options.workDir, 'emulators.json'), JSON.stringify(emulators.map(({ kind, host, pid }) => ({ kind, host, pid }))));
  const stops: Array<() => Promise<void>> = emulators.map((emulator) => () => emulator.stop());
  const stop = async () => {
    for (const step of stops.reverse()) await step();
  };
  try {
    const [firestore, pubsubEmulator, auth] = emulators;
    Object.assign(process.env, {
      AIPROD_MODE: 'local',
      FIRESTORE_EMULATOR_HOST: firestore.host,
      PUBSUB_EMULATOR_HOST: pubsubEmulator.host,
      FIREBASE_AUTH_EMULATOR_HOST: auth.host,
      GOOGLE_CLOUD_PROJECT: projectId,
      METADATA_SERVER_DETECTION: 'none',
      AIPROD_DATA_DIR: path.join(options.workDir, 'data'),
      // As on Cloud Functions: Express then answers a body it cannot parse without a stack trace.
      NODE_ENV: 'production',
    });
    const config = loadConfig();
    const built = await buildRuntime(config);
    stops.push(() => built.close());
    const runtime = options.decorateRuntime ? options.decorateRuntime(built) : built;
    useRuntime(runtime);

    const bridge = new EventarcBridge(config.projectId);
    await bridge.listen();
    stops.push(() => bridge.close());
    const host = new FunctionHost();
    stops.push(() => host.close());
    for (const { functionName, topic } of pushSubscriptions()) bridge.route(functionName, { port: (await host.serve(functionName)).port, topic });
    const api = await host.serve('api');

    const admin = new PubSub({ projectId: config.projectId });
    try {
      await createTopology(admin, (name) => bridge.endpoint(name), options.backoff ?? { minimumSec: 0.5, maximumSec: 5 });
    } finally {
      await admin.close();
    }
    if (config.mode !== 'local') throw new Error('the local platform runs in local mode only');
    const adminKey = await ensureLocalAdminKey(runtime.apiKeys, config.tenant, options.adminKey, runtime.clock());
    if (options.scheduler ?? true) {
      const scheduler = new LocalScheduler(runtime.events);
      stops.push(async () => scheduler.stop());
    }
    return { apiUrl: `http://127.0.0.1:${api.port}`, runtime, projectId: config.projectId, adminKey, tenant: config.tenant, emulators, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
