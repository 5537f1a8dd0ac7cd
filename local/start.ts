// `npm start [-- brief.json [--approve]]`: the whole platform locally; with a brief, one job from brief to MP4.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setLogFile } from '../shared/logging';
import type { Job, TransitionRecord } from '../shared/schemas/job';
import { followJob } from './follow_job';
import { startLocalPlatform, type LocalPlatform } from './local_platform';

const WORK_DIR = path.resolve(process.env.AIPROD_WORK_DIR ?? '.aiprod');

function printTransition(entry: TransitionRecord, job: Job): void {
  const seconds = ((Date.parse(entry.at) - Date.parse(job.createdAt)) / 1000).toFixed(1).padStart(6);
  console.log(`${seconds} s  ${(entry.from ?? '—').padEnd(18)} → ${entry.to.padEnd(18)} ${entry.reason}`);
}

async function submit(platform: LocalPlatform, briefPath: string): Promise<string> {
  const brief: unknown = JSON.parse(await readFile(briefPath, 'utf8'));
  const response = await fetch(`${platform.apiUrl}/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': platform.adminKey },
    body: JSON.stringify(brief),
  });
  const body = (await response.json()) as { id?: string; error?: { message: string; fields?: { field: string; message: string }[] } };
  if (response.status !== 201 || body.id === undefined) {
    const fields = body.error?.fields?.map((f) => `\n  ${f.field}: ${f.message}`).join('') ?? '';
    throw new Error(`the brief was refused (HTTP ${response.status}): ${body.error?.message ?? 'no reason given'}${fields}`);
  }
  return body.id;
}

async function runBrief(platform: LocalPlatform, briefPath: string, autoApprove: boolean): Promise<Job> {
  const jobId = await submit(platform, briefPath);
  console.log(`job ${jobId} submitted`);
  return followJob(platform.runtime.jobs, jobId, (entry, job) => {
    printTransition(entry, job);
    if (entry.to !== 'WAITING_APPROVAL') return;
    if (autoApprove) {
      void fetch(`${platform.apiUrl}/v1/jobs/${jobId}/approve`, { method: 'POST', headers: { 'x-api-key': platform.adminKey } });
    } else {
      console.log(`storyboard waiting for approval: curl -X POST -H 'X-API-Key: ${platform.adminKey}' ${platform.apiUrl}/v1/jobs/${jobId}/approve`);
    }
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const briefPath = args.find((arg) => !arg.startsWith('--'));
  const autoApprove = args.includes('--approve');
  setLogFile(path.join(WORK_DIR, 'logs', 'functions.log'));
  console.log('starting the Firestore, Pub/Sub and Firebase Auth emulators and the functions…');
  const platform = await startLocalPlatform({ workDir: WORK_DIR, adminKey: process.env.AIPROD_ADMIN_KEY });
  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= platform.stop());
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(143)));
  console.log(`API on ${platform.apiUrl}/v1 (logs in ${path.join(WORK_DIR, 'logs')})`);
  console.log(`admin API key of tenant ${platform.tenant}: ${platform.adminKey} (send it as X-API-Key)`);
  if (briefPath === undefined) {
    console.log('running; submit a brief with POST /v1/jobs, stop with Ctrl-C');
    return new Promise(() => undefined);
  }
  try {
    const job = await runBrief(platform, briefPath, autoApprove);
    if (job.state !== 'DELIVERED') {
      console.error(`job ended ${job.state}: ${job.error?.reason ?? 'no reason recorded'}`);
      return 1;
    }
    console.log(`delivered ${job.outputs.videos.length} file(s), cost $${job.totalCostUsd.toFixed(6)}`);
    for (const video of job.outputs.videos) console.log(fileURLToPath(video.uri));
    return 0;
  } finally {
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`aiprod: ${error.message}`);
    process.exit(1);
  },
);
