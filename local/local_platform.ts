import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PubSub } from '@google-cloud/pubsub';
import { loadConfig } from '../shared/config';
import { buildRuntime, useRuntime, type Runtime } from '../functions/runtime';
// Registers every function with the Functions Framework; that touches no service, so it can happen at load.
import '../functions/index';
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
}

export interface LocalPlatform {
  apiUrl: string;
  runtime: Runtime;
  projectId: string;
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
  const emulators = await Promise.all([startEmulator('firestore', logDir), startEmulator('pubsub', logDir)]);
  const stops: Array<() => Promise<void>> = emulators.map((emulator) => () => emulator.stop());
  const stop = async () => {
    for (const step of stops.reverse()) await step();
  };
  try {
    const [firestore, pubsubEmulator] = emulators;
    Object.assign(process.env, {
      AIPROD_MODE: 'local',
      FIRESTORE_EMULATOR_HOST: firestore.host,
      PUBSUB_EMULATOR_HOST: pubsubEmulator.host,
      GOOGLE_CLOUD_PROJECT: process.env.GOOGLE_CLOUD_PROJECT ?? 'aiprod-local',
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
    if (options.scheduler ?? true) {
      const scheduler = new LocalScheduler(runtime.events);
      stops.push(async () => scheduler.stop());
    }
    return { apiUrl: `http://127.0.0.1:${api.port}`, runtime, projectId: config.projectId, emulators, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
