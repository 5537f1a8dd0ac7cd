import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { tracedHttp } from '../../functions/traced';
import { log, TRACE_FIELD } from '../../shared/logging';
import { shortBrief } from '../support/fixtures';
import { runToEnd } from '../support/jobs';
import { testPlatform } from '../support/root_hooks';

function logLines(workDir: string): Record<string, unknown>[] {
  return readFileSync(path.join(workDir, 'functions.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('traced functions', () => {
  it("logs every stage run of a job with its trace, job, stage, duration and cost, Cloud Logging's way", async () => {
    const platform = await testPlatform();
    const job = await runToEnd(platform, shortBrief({ keyMessages: ['Traced logs'] }));
    expect(job.state, job.error?.reason).to.equal('DELIVERED');
    const runsOf = () => logLines(platform.workDir).filter((line) => line.jobId === job.id && typeof line.durationMs === 'number');
    // The closing run logs just after its commit, which is what ended the wait.
    const deadline = Date.now() + 5_000;
    while (!runsOf().some((line) => line.stage === 'DELIVERED') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const runs = runsOf();
    expect(runs.map((line) => line.stage)).to.include.members(['SUBMITTED', 'RENDERING', 'QA_TECH', 'DELIVERED']);
    for (const line of runs) {
      expect(line[TRACE_FIELD], String(line.message)).to.match(new RegExp(`^projects/${platform.projectId}/traces/[0-9a-f]{32}$`));
      expect(line.severity).to.equal('INFO');
      expect(line.costUsd).to.be.a('number');
      expect(line.jobCostUsd).to.be.a('number');
    }
    const delivered = runs.find((line) => line.stage === 'DELIVERED')!;
    expect(delivered.jobCostUsd).to.equal(job.totalCostUsd);
    // Each invocation has its own trace, as each push to Cloud Run starts one.
    expect(new Set(runs.map((line) => line[TRACE_FIELD])).size).to.equal(runs.length);
  });

  it("logs an HTTP request's lines in the trace of its X-Cloud-Trace-Context or traceparent header", async () => {
    const platform = await testPlatform();
    functions.http('tracedProbe', tracedHttp((req, res) => {
      log('INFO', `probe ${req.header('x-probe')}`);
      res.status(204).end();
    }));
    const server = getTestServer('tracedProbe');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
      await fetch(url, { headers: { 'x-probe': 'cloud', 'x-cloud-trace-context': `${'c'.repeat(32)}/12;o=1` } });
      await fetch(url, { headers: { 'x-probe': 'w3c', traceparent: `00-${'d'.repeat(32)}-${'e'.repeat(16)}-01` } });
    } finally {
      server.closeAllConnections();
      server.close();
    }
    const lines = logLines(platform.workDir);
    expect(lines.find((line) => line.message === 'probe cloud')?.[TRACE_FIELD]).to.equal(`projects/${platform.projectId}/traces/${'c'.repeat(32)}`);
    expect(lines.find((line) => line.message === 'probe w3c')?.[TRACE_FIELD]).to.equal(`projects/${platform.projectId}/traces/${'d'.repeat(32)}`);
  });
});
