import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Firestore } from '@google-cloud/firestore';
import { startLocalPlatform } from '../local/local_platform';
import { formatMs, quantile } from './stats';

/** The goal for POST /v1/jobs at 50 concurrent clients on loopback (issue 4). */
const P99_GOAL_MS = 50;

/**
 * POST /v1/jobs under load: `clients` concurrent loops on loopback, each submitting the example brief as fast as
 * answers come, for `seconds` after a warm-up. The platform runs the API alone (topics exist, nothing consumes
 * them), so the figure is the API's own: authentication, rate limits, validation, the estimate, the job write, the
 * audit entry and the publish, on the emulators. With `budgeted`, the tenant has a (large) monthly budget, so every
 * submission reserves its estimate in a transaction on the tenant's document: they queue on it one by one.
 */
export async function benchApiSubmit(clients: number, seconds: number, budgeted = false): Promise<void> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'aiprod-bench-api-'));
  // Measuring throughput, not the limits: lift them for this run.
  Object.assign(process.env, { AIPROD_RATE_LIMIT_PER_PRINCIPAL: '100000000', AIPROD_RATE_LIMIT_PER_IP: '100000000' });
  const platform = await startLocalPlatform({ workDir, pipeline: false, scheduler: false });
  try {
    if (budgeted) await platform.runtime.generative.budgets.setLimit(platform.tenant, 1_000_000, new Date());
    const body = readFileSync(path.resolve(__dirname, '../examples/coffee-30s.json'), 'utf8');
    const headers = { 'content-type': 'application/json', 'x-api-key': platform.adminKey };
    const submit = async (): Promise<number> => {
      const started = performance.now();
      const response = await fetch(`${platform.apiUrl}/v1/jobs`, { method: 'POST', headers, body });
      await response.arrayBuffer();
      if (response.status !== 201) throw new Error(`POST /v1/jobs answered ${response.status}`);
      return performance.now() - started;
    };
    const run = async (durationMs: number): Promise<number[]> => {
      const latencies: number[] = [];
      const until = performance.now() + durationMs;
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (performance.now() < until) latencies.push(await submit());
        }),
      );
      return latencies;
    };
    await run(3000);
    const started = performance.now();
    const latencies = await run(seconds * 1000);
    const elapsedSec = (performance.now() - started) / 1000;
    const floor = await emulatorFloor(platform.projectId, clients, seconds);
    const p99 = quantile(latencies, 0.99);
    const rps = latencies.length / elapsedSec;
    const tenant = budgeted ? 'a tenant with a budget (each submission reserves in a transaction)' : 'a tenant without a budget';
    console.log(`POST /v1/jobs for ${tenant}, ${clients} concurrent clients on loopback, ${latencies.length} requests in ${elapsedSec.toFixed(1)} s:`);
    console.log(`  p50 ${formatMs(quantile(latencies, 0.5))}   p99 ${formatMs(p99)} (${(p99 / P99_GOAL_MS).toFixed(2)} × the ${P99_GOAL_MS} ms goal)   ${rps.toFixed(0)} requests/s`);
    console.log(
      `  floor: the Firestore emulator alone, ${clients} clients each writing one job-sized document: p50 ${formatMs(quantile(floor.latencies, 0.5))}   p99 ${formatMs(quantile(floor.latencies, 0.99))}   ${floor.rps.toFixed(0)} writes/s (a submission makes 5 Firestore calls and a publish: API ${(floor.rps / rps).toFixed(1)} × slower than one write)`,
    );
  } finally {
    await platform.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** What the emulator itself sustains: concurrent creates of job-sized documents, straight from a client. */
async function emulatorFloor(projectId: string, clients: number, seconds: number): Promise<{ latencies: number[]; rps: number }> {
  const db = new Firestore({ projectId });
  const document = { tenant: 'bench', brief: readFileSync(path.resolve(__dirname, '../examples/coffee-30s.json'), 'utf8'), padding: 'x'.repeat(2000) };
  const latencies: number[] = [];
  let next = 0;
  try {
    const until = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < until) {
          const at = performance.now();
          await db.collection('bench_floor').doc(`d${next++}`).create(document);
          latencies.push(performance.now() - at);
        }
      }),
    );
    return { latencies, rps: latencies.length / ((performance.now() - started) / 1000) };
  } finally {
    await db.terminate();
  }
}
