import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { shortBrief } from '../support/fixtures';
import { submitBrief } from '../support/jobs';
import { matches, metricFilter, payloadFields } from '../support/log_filter';
import { testPlatform } from '../support/root_hooks';
import { followJob } from '../../local/follow_job';
import { loadTerraform, type Terraform } from '../terraform/hcl';

const SERVICE = 'aiprod-render-scene';

describe('log-based metrics count the lines the functions really write', () => {
  let tf: Terraform;
  let lines: Record<string, unknown>[];
  let jobId: string;
  let totalCostUsd: number;

  before(async () => {
    tf = await loadTerraform();
    const platform = await testPlatform();
    jobId = await submitBrief(platform, shortBrief({ keyMessages: ['Metrics count'] }));
    platform.renderer.failNext(jobId, 1); // one failed scene render: an ERROR line, then a retry
    const job = await followJob(platform.runtime.jobs, jobId, () => undefined);
    expect(job.state, job.error?.reason).to.equal('DELIVERED');
    totalCostUsd = job.totalCostUsd;
    const read = () =>
      readFileSync(path.join(platform.workDir, 'functions.log'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.jobId === jobId);
    // The closing run logs just after the commit that ended the wait.
    const deadline = Date.now() + 5_000;
    while (!read().some((line) => line.stage === 'DELIVERED' && line.durationMs !== undefined) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    lines = read();
  });

  it('counts the failed render as an error, labelled with its stage', () => {
    const errors = lines.filter((line) => matches(metricFilter(tf, 'errors'), line, SERVICE));
    expect(errors.map((line) => line.stage)).to.include('RENDERING');
    expect(errors.every((line) => line.severity === 'ERROR')).to.equal(true);
  });

  it('takes the latency of every stage and step run from its durationMs, and nothing else', () => {
    const runs = lines.filter((line) => matches(metricFilter(tf, 'stage_latency'), line, SERVICE));
    expect(runs.map((line) => line.stage)).to.include.members(['SUBMITTED', 'RENDERING', 'QA_TECH', 'QA_SEMANTIC', 'DELIVERED']);
    expect(runs.map((line) => line.step)).to.include.members(['scene', 'assemble']);
    expect(runs.every((line) => typeof line.durationMs === 'number')).to.equal(true);
    expect(runs.some((line) => line.severity === 'ERROR'), 'a failed run is an error, not a latency').to.equal(false);
  });

  it("takes the cost per job from the one line of the job's delivery, as the job's total", () => {
    const costs = lines.filter((line) => matches(metricFilter(tf, 'cost_per_job'), line, SERVICE));
    expect(costs).to.have.length(1);
    expect(costs[0].jobCostUsd).to.equal(totalCostUsd);
  });

  it('reads only fields the lines carry, and only from this deployment’s functions', () => {
    const written = new Set(lines.flatMap((line) => Object.keys(line)));
    for (const metric of ['errors', 'stage_latency', 'cost_per_job']) {
      for (const field of payloadFields(metricFilter(tf, metric))) expect([...written], `${metric} reads jsonPayload.${field}`).to.include(field);
      const counted = lines.find((line) => matches(metricFilter(tf, metric), line, SERVICE));
      expect(counted, `${metric} counts a line`).not.to.equal(undefined);
      expect(matches(metricFilter(tf, metric), counted!, 'other-app-render'), `${metric} ignores other services`).to.equal(false);
    }
  });
});
