import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stopProcess, waitUntilReady, type RunningEmulator } from './emulators';
import { freePort } from './free_port';

const INSTALL_HINT = 'The Firebase Auth emulator comes with the firebase-tools package: run `npm ci` (or .ci/setup).';

function firebaseCli(): string {
  try {
    return require.resolve('firebase-tools/lib/bin/firebase.js');
  } catch {
    throw new Error(`firebase-tools was not found. ${INSTALL_HINT}`);
  }
}

/**
 * Starts the Firebase Auth emulator (from firebase-tools, a Node program, offline) on free loopback ports. Its
 * tokens are unsigned; firebase-admin accepts them only while FIREBASE_AUTH_EMULATOR_HOST is set, which GCP mode
 * refuses.
 */
export async function startAuthEmulator(workDir: string, projectId: string): Promise<RunningEmulator> {
  const [port, hubPort, loggingPort] = [await freePort(), await freePort(), await freePort()];
  const configPath = path.join(workDir, 'firebase.json');
  const config = {
    emulators: { auth: { host: '127.0.0.1', port }, hub: { host: '127.0.0.1', port: hubPort }, logging: { host: '127.0.0.1', port: loggingPort }, ui: { enabled: false }, singleProjectMode: true },
  };
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const logFile = path.join(workDir, 'logs', 'auth-emulator.log');
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [firebaseCli(), 'emulators:start', '--only', 'auth', '--project', projectId, '--config', configPath], {
    // firebase-tools writes its debug log into the working folder.
    cwd: path.dirname(logFile),
    env: { ...process.env, NO_UPDATE_NOTIFIER: '1' },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new Error(`could not start the Firebase Auth emulator: ${error.message}. ${INSTALL_HINT}`)));
  });
  const host = `127.0.0.1:${port}`;
  try {
    await waitUntilReady('auth', host, child, logFile);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return { kind: 'auth', host, pid: child.pid ?? -1, stop: () => stopProcess(child) };
}
