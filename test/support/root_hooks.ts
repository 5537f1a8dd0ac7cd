import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setLogFile } from '../../shared/logging';
import { startLocalPlatform, type LocalPlatform } from '../../local/local_platform';
import { DuplicatingEventBus, InstrumentedRenderer } from './fault_injection';

process.env.METADATA_SERVER_DETECTION = 'none';
// Tests make hundreds of calls a minute with one key; the rate-limit tests lower these for themselves.
process.env.AIPROD_RATE_LIMIT_PER_PRINCIPAL ??= '1000000';
process.env.AIPROD_RATE_LIMIT_PER_IP ??= '1000000';
process.env.AIPROD_CORS_ORIGINS ??= 'https://app.aiprod.test';

/** The platform's clock: real time, moved by `shift` (a test that moves it puts it back with `reset`). */
export class TestClock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** From now on the clock reads `at` (and runs on from there). */
  shift(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}

export interface TestPlatform extends LocalPlatform {
  bus: DuplicatingEventBus;
  renderer: InstrumentedRenderer;
  clock: TestClock;
  workDir: string;
}

let started: Promise<TestPlatform> | null = null;

/** One local platform (emulators, functions, bridge) shared by every test that needs it, started on first use. */
export function testPlatform(): Promise<TestPlatform> {
  started ??= (async () => {
    const workDir = mkdtempSync(path.join(tmpdir(), 'aiprod-test-'));
    setLogFile(path.join(workDir, 'functions.log'));
    let bus: DuplicatingEventBus | undefined;
    let renderer: InstrumentedRenderer | undefined;
    const clock = new TestClock();
    const platform = await startLocalPlatform({
      workDir,
      backoff: { minimumSec: 0.2, maximumSec: 1 },
      // Tests fire the scheduled services themselves, with the clock they need.
      scheduler: false,
      decorateRuntime: (runtime) => {
        bus = new DuplicatingEventBus(runtime.events);
        renderer = new InstrumentedRenderer(runtime.sceneRenderer);
        return { ...runtime, events: bus, sceneRenderer: renderer, clock: () => clock.now() };
      },
    });
    if (bus === undefined || renderer === undefined) throw new Error('runtime was not decorated');
    return { ...platform, bus, renderer, clock, workDir };
  })();
  return started;
}

export const mochaHooks = {
  async afterAll(this: unknown) {
    if (started === null) return;
    const platform = await started;
    await platform.stop();
    rmSync(platform.workDir, { recursive: true, force: true });
  },
};
