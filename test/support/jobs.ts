import { followJob } from '../../local/follow_job';
import type { Job } from '../../shared/schemas/job';
import type { TestPlatform } from './root_hooks';

/** Calls the API as the local tenant's admin (the key the platform made at start). */
export async function postJson(platform: TestPlatform, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${platform.apiUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': platform.adminKey },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

export async function getJson(platform: TestPlatform, path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${platform.apiUrl}${path}`, { headers: { 'x-api-key': platform.adminKey } });
  return { status: response.status, body: await response.json() };
}

export async function submitBrief(platform: TestPlatform, brief: unknown): Promise<string> {
  const { status, body } = await postJson(platform, '/v1/jobs', brief);
  if (status !== 201) throw new Error(`submit failed: ${status} ${JSON.stringify(body)}`);
  return body.id as string;
}

/** Submits a brief and waits until its job has finished (terminal state, closing work done). */
export async function runToEnd(platform: TestPlatform, brief: unknown): Promise<Job> {
  const id = await submitBrief(platform, brief);
  return followJob(platform.runtime.jobs, id, () => undefined);
}

/** Resolves with the job once `done` holds for it (checked on every change), or rejects after `timeoutMs`. */
export function waitForJob(platform: TestPlatform, id: string, done: (job: Job) => boolean, timeoutMs = 60_000): Promise<Job> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`job ${id} did not reach the awaited condition within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = platform.runtime.jobs.watch(
      id,
      (job) => {
        if (!done(job)) return;
        clearTimeout(timer);
        stop();
        resolve(job);
      },
      (error) => {
        clearTimeout(timer);
        stop();
        reject(error);
      },
    );
  });
}
