import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './free_port';

export type EmulatorKind = 'firestore' | 'pubsub';

const INSTALL_HINT =
  'Google Cloud CLI with its emulators is needed: install the google-cloud-cli, google-cloud-cli-firestore-emulator and ' +
  'google-cloud-cli-pubsub-emulator packages (or `gcloud components install cloud-firestore-emulator pubsub-emulator`), ' +
  'and Java 17+; or set AIPROD_GCLOUD_SDK_ROOT to the SDK folder.';

/**
 * Folders that may hold the Cloud SDK, most specific first: configured, next to gcloud on PATH, the usual
 * install places, and last what `gcloud info` says (slow, so asked only when nothing before it matched).
 */
export function* sdkRoots(env: NodeJS.ProcessEnv = process.env): Generator<string> {
  if (env.AIPROD_GCLOUD_SDK_ROOT) yield env.AIPROD_GCLOUD_SDK_ROOT;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'gcloud'))) yield path.resolve(dir, '..');
  }
  yield* ['/usr/lib/google-cloud-sdk', '/usr/share/google-cloud-sdk', '/opt/google-cloud-sdk'];
  try {
    const root = execFileSync('gcloud', ['info', '--format=value(installation.sdk_root)'], { env, encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (root) yield root;
  } catch {
    // gcloud is absent or unhappy: nothing more to try.
  }
}

/** The Java command line that starts an emulator directly, so the PID we hold is the process to stop. */
export function emulatorCommand(kind: EmulatorKind, port: number, roots: Iterable<string> = sdkRoots(), java = process.env.JAVA ?? 'java'): string[] {
  for (const root of roots) {
    if (kind === 'firestore') {
      const jar = path.join(root, 'platform/cloud-firestore-emulator/cloud-firestore-emulator.jar');
      if (existsSync(jar)) {
        return [java, '-Duser.language=en', '-cp', jar, 'com.google.cloud.datastore.emulator.firestore.CloudFirestore', 'start', '--host=127.0.0.1', `--port=${port}`];
      }
    } else {
      const lib = path.join(root, 'platform/pubsub-emulator/lib');
      const jar = existsSync(lib) ? readdirSync(lib).find((name) => /^cloud-pubsub-emulator-.*\.jar$/.test(name)) : undefined;
      if (jar) return [java, '-jar', path.join(lib, jar), '--host=127.0.0.1', `--port=${port}`];
    }
  }
  throw new Error(`the ${kind} emulator was not found. ${INSTALL_HINT}`);
}

export interface RunningEmulator {
  kind: EmulatorKind | 'auth';
  host: string;
  pid: number;
  stop(): Promise<void>;
}

/** Waits until the emulator answers HTTP on `host`; fails early when its process exits. */
export async function waitUntilReady(kind: string, host: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the ${kind} emulator exited with code ${child.exitCode}; see ${logFile}`);
    try {
      const response = await fetch(`http://${host}/`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`the ${kind} emulator did not answer within 60 s; see ${logFile}`);
}

/** Stops a child process: SIGTERM, then SIGKILL after 5 s. */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts one of Google's emulators on a free loopback port and waits until it answers. */
export async function startEmulator(kind: EmulatorKind, logDir: string, extraArgs: string[] = []): Promise<RunningEmulator> {
  const port = await freePort();
  const [command, ...args] = emulatorCommand(kind, port);
  const logFile = path.join(logDir, `${kind}-emulator.log`);
  const out = openSync(logFile, 'a');
  const child = spawn(command, [...args, ...extraArgs], { stdio: ['ignore', out, out] });
  closeSync(out);
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new Error(`could not start the ${kind} emulator (${command}): ${error.message}. ${INSTALL_HINT}`)));
  });
  await spawned;
  const host = `127.0.0.1:${port}`;
  try {
    await waitUntilReady(kind, host, child, logFile);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return { kind, host, pid: child.pid ?? -1, stop: () => stopProcess(child) };
}
