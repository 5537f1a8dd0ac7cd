import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDisasterRecovery, deliveredFiles, DR_ALERT } from '../../../functions/services/check_disaster_recovery';
import type { Firing } from '../../../functions/services/firing';
import { DrReportSchema, type DrReport } from '../../../shared/schemas/dr_report';
import type { Job } from '../../../shared/schemas/job';
import { shortBrief } from '../../support/fixtures';
import { matches, metricFilter } from '../../support/log_filter';
import { loadTerraform } from '../../terraform/hcl';
import { runToEnd } from '../../support/jobs';
import { testPlatform, type TestPlatform } from '../../support/root_hooks';

let firings = 0;

/** Runs the DR check for a firing of its own and returns the report it stored. */
async function check(platform: TestPlatform): Promise<DrReport> {
  const scheduledAt = new Date(Date.UTC(2031, 0, 1, 6 * firings++));
  const firing: Firing = { service: 'dr-check', scheduledAt, key: `dr-check@${scheduledAt.toISOString()}` };
  const message = { data: { service: 'dr-check' }, attributes: {}, messageId: firing.key, publishTime: scheduledAt };
  await checkDisasterRecovery({ runtime: platform.runtime, message, firing });
  const latest = await platform.runtime.drReports.latest();
  expect(latest?.id).to.equal(firing.key);
  return DrReportSchema.parse(latest);
}

function reportLines(platform: TestPlatform, reportId: string): Record<string, unknown>[] {
  return readFileSync(path.join(platform.workDir, 'functions.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.drReport === reportId);
}

function alertLines(platform: TestPlatform, reportId: string): Record<string, unknown>[] {
  return reportLines(platform, reportId).filter((line) => line.alert === DR_ALERT);
}

/** Whether the log-based metric `metric` of terraform/monitoring.tf counts `line` (logged by the DR function). */
async function counted(metric: string, line: Record<string, unknown>): Promise<boolean> {
  return matches(metricFilter(await loadTerraform(), metric), line, 'aiprod-check-disaster-recovery');
}

describe('DR check', () => {
  let job: Job;

  before(async () => {
    const platform = await testPlatform();
    job = await runToEnd(platform, shortBrief({ keyMessages: ['Backed up'] }));
    expect(job.state, job.error?.reason).to.equal('DELIVERED');
  });

  it('exports, restores into a second emulator, verifies, and reports the RPO and RTO', async () => {
    const platform = await testPlatform();
    const report = await check(platform);
    expect(report.failures).to.deep.equal([]);
    expect(report).to.include({ verified: true, alert: false });
    // The export is in the local backups bucket, whole.
    const metadata = fileURLToPath(report.backup!.uri);
    expect(metadata.startsWith(path.join(platform.workDir, 'data', 'backups', report.backup!.id))).to.equal(true);
    expect((await stat(metadata)).isFile()).to.equal(true);
    // Counts agree for every collection, the job among them; a sample was compared; the delivered job's files are there.
    const jobs = report.collections.find((entry) => entry.collection === 'jobs');
    expect(jobs?.passed).to.equal(true);
    expect(jobs!.restored).to.be.greaterThan(0);
    expect(report.sample.checked).to.be.greaterThan(0);
    expect(report.deliveredFiles.jobs).to.be.greaterThan(0);
    expect(report.deliveredFiles.missing).to.deep.equal([]);
    expect(report.rtoSec).to.be.greaterThan(0);
    expect(report.rpoSec).to.be.at.least(0).and.below(600);
    expect(report.lastVerifiedBackupAt).to.equal(report.backup!.consistentFrom);
    expect(alertLines(platform, report.id)).to.deep.equal([]);
    const [line] = reportLines(platform, report.id);
    expect(line).to.include({ severity: 'NOTICE', verified: true });
    expect(await counted('dr_checks', line), 'the absence alert sees the check').to.equal(true);
    expect(await counted('dr_check_alerts', line), 'a verified check does not alert').to.equal(false);
  });

  it('reports the job whose delivered file was deleted, keeps the last verified backup for the RPO, and alerts', async () => {
    const platform = await testPlatform();
    const verified = await platform.runtime.drReports.latest();
    const [video] = job.outputs.videos;
    expect(deliveredFiles(job)).to.include(video.uri);
    await rm(fileURLToPath(video.uri));
    const report = await check(platform);
    expect(report.verified).to.equal(false);
    expect(report.alert).to.equal(true);
    expect(report.deliveredFiles.missing).to.deep.equal([{ jobId: job.id, keys: [video.blobKey] }]);
    expect(report.failures.join('\n')).to.include(`job ${job.id}: delivered files missing from the blob store: ${video.blobKey}`);
    expect(report.lastVerifiedBackupAt).to.equal(verified?.lastVerifiedBackupAt);
    expect(report.rpoSec).to.be.greaterThan(0);
    const [alert] = alertLines(platform, report.id);
    expect(alert).to.include({ severity: 'ERROR', verified: false });
    expect(String(alert.message)).to.include(job.id);
    expect(await counted('dr_check_alerts', alert), "the DR alert policy's metric counts the line").to.equal(true);
  });
});
