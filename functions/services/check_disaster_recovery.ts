import { log } from '../../shared/logging';
import type { BlobStore } from '../../shared/ports/blob_store';
import type { Backup, DocumentReader } from '../../shared/ports/disaster_recovery';
import type { DrReport } from '../../shared/schemas/dr_report';
import { JobSchema, type Job } from '../../shared/schemas/job';
import type { Runtime } from '../runtime';
import type { ServiceWork } from './service_work';

/** Documents per collection whose checksums are compared. */
export const SAMPLE_SIZE = 25;

/** The most the last verified backup may be behind before the check alerts. */
export const RPO_LIMIT_SEC = 24 * 3600;

/** The value of the `alert` field on the ERROR line a failed check logs; terraform/monitoring.tf's metric matches it. */
export const DR_ALERT = 'dr-check';

type Verification = Pick<DrReport, 'collections' | 'sample' | 'deliveredFiles' | 'failures'>;

/** The files a delivered job's outputs name. */
export function deliveredFiles(job: Job): string[] {
  const videos = job.outputs.videos.flatMap((video) => [video.uri, video.posterUri, video.contactSheetUri]);
  const subtitles = job.outputs.subtitles === undefined ? [] : [job.outputs.subtitles.srtUri, job.outputs.subtitles.vttUri];
  return [...videos, ...subtitles, ...(job.outputs.receiptUri === undefined ? [] : [job.outputs.receiptUri])];
}

async function compareCollections(live: DocumentReader, restored: DocumentReader, backup: Backup): Promise<Verification['collections']> {
  const names = [...new Set([...(await live.collections()), ...(await restored.collections())])].sort();
  const [from, to] = [new Date(backup.consistentFrom), new Date(backup.consistentTo)];
  return Promise.all(
    names.map(async (collection) => {
      const [restoredCount, liveAtStart, liveAtEnd] = await Promise.all([restored.count(collection), live.count(collection, from), live.count(collection, to)]);
      const passed = restoredCount >= Math.min(liveAtStart, liveAtEnd) && restoredCount <= Math.max(liveAtStart, liveAtEnd);
      return { collection, restored: restoredCount, liveAtStart, liveAtEnd, passed };
    }),
  );
}

/** Sampled documents must equal the live database's as it was at one end of the export (at both, for a snapshot). */
async function compareSample(live: DocumentReader, restored: DocumentReader, backup: Backup, collections: string[]): Promise<Verification['sample']> {
  const mismatched: Verification['sample']['mismatched'] = [];
  let checked = 0;
  for (const collection of collections) {
    const ids = await restored.sampleIds(collection, SAMPLE_SIZE);
    const [copies, atEnd] = await Promise.all([restored.versions(collection, ids), live.versions(collection, ids, new Date(backup.consistentTo))]);
    const differing = ids.filter((id) => copies.get(id)?.checksum !== atEnd.get(id)?.checksum);
    const atStart = backup.consistentFrom === backup.consistentTo ? atEnd : await live.versions(collection, differing, new Date(backup.consistentFrom));
    for (const id of differing) if (copies.get(id)?.checksum !== atStart.get(id)?.checksum) mismatched.push({ collection, id });
    checked += ids.length;
  }
  return { checked, mismatched };
}

async function checkDeliveredFiles(restored: DocumentReader, blobs: BlobStore): Promise<Verification['deliveredFiles'] & { unreadable: string[] }> {
  const delivered = await restored.whereEquals('jobs', 'state', 'DELIVERED');
  const missing: Verification['deliveredFiles']['missing'] = [];
  const unreadable: string[] = [];
  let files = 0;
  for (const { id, data } of delivered) {
    const job = JobSchema.safeParse(data);
    if (!job.success) {
      unreadable.push(id);
      continue;
    }
    const uris = deliveredFiles(job.data);
    files += uris.length;
    // A URI outside the store (another bucket, say) counts as missing: a restore could not bring that file back.
    const found = await Promise.all(uris.map(async (uri) => {
      const key = blobs.keyOf(uri);
      return key !== null && (await blobs.exists(key)) ? null : (key ?? uri);
    }));
    const absent = found.filter((key): key is string => key !== null);
    if (absent.length > 0) missing.push({ jobId: id, keys: absent });
  }
  return { jobs: delivered.length, files, missing, unreadable };
}

async function verify(runtime: Runtime, backup: Backup, restored: DocumentReader): Promise<Verification> {
  const live = runtime.backups.live;
  const collections = await compareCollections(live, restored, backup);
  const sample = await compareSample(live, restored, backup, collections.map((entry) => entry.collection));
  const { unreadable, ...files } = await checkDeliveredFiles(restored, runtime.blobs);
  const failures = [
    ...collections.filter((entry) => !entry.passed).map((entry) => `${entry.collection}: ${entry.restored} documents restored, the live database had ${entry.liveAtStart}..${entry.liveAtEnd}`),
    ...sample.mismatched.map(({ collection, id }) => `${collection}/${id}: the restored document differs from the live one`),
    ...unreadable.map((id) => `jobs/${id}: the restored job is not a valid job`),
    ...files.missing.map(({ jobId, keys }) => `job ${jobId}: delivered files missing from the blob store: ${keys.join(', ')}`),
  ];
  return { collections, sample, deliveredFiles: files, failures };
}

const NOTHING_VERIFIED: Omit<Verification, 'failures'> = { collections: [], sample: { checked: 0, mismatched: [] }, deliveredFiles: { jobs: 0, files: 0, missing: [] } };

/**
 * The scheduled DR check: exports the live database into the backups bucket, restores the export into a scratch
 * database, compares document counts and the checksums of a sample, checks that every delivered job's files exist,
 * and records the RPO (age of the last verified backup) and RTO (measured restore time) in `dr_reports`. A failed
 * check, or an RPO over 24 h, logs an ERROR line with `alert: "dr-check"`, which an alert policy watches.
 */
export const checkDisasterRecovery: ServiceWork = async ({ runtime, firing }) => {
  if (firing === null) throw new Error('the DR check runs for a firing of its schedule');
  const startedAt = runtime.clock();
  const id = `${firing.service}-${firing.scheduledAt.toISOString().replace(/[:.]/g, '-')}`;
  let backup: Backup | null = null;
  let rtoSec: number | null = null;
  let verification: Verification;
  try {
    const made = await runtime.backups.backup(id);
    backup = made;
    const restoring = performance.now();
    const restored = await runtime.backups.restore(made);
    rtoSec = (performance.now() - restoring) / 1000;
    try {
      verification = await verify(runtime, made, restored.reader);
    } finally {
      await restored.close();
    }
  } catch (error) {
    verification = { ...NOTHING_VERIFIED, failures: [`${backup === null ? 'backup' : 'restore or verification'} failed: ${(error as Error).message}`] };
  }
  const finishedAt = runtime.clock();
  const verified = verification.failures.length === 0;
  const lastVerifiedBackupAt = verified && backup !== null ? backup.consistentFrom : ((await runtime.drReports.latest())?.lastVerifiedBackupAt ?? null);
  const rpoSec = lastVerifiedBackupAt === null ? null : Math.max(0, (finishedAt.getTime() - Date.parse(lastVerifiedBackupAt)) / 1000);
  const report: DrReport = {
    id: firing.key,
    scheduledAt: firing.scheduledAt.toISOString(),
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    backup,
    rtoSec,
    ...verification,
    verified,
    lastVerifiedBackupAt,
    rpoSec,
    alert: !verified || rpoSec === null || rpoSec > RPO_LIMIT_SEC,
  };
  await runtime.drReports.save(report);
  const fields = { drReport: report.id, verified, rpoSec, rtoSec };
  if (report.alert) {
    const rpo = rpoSec === null ? 'no backup was ever verified' : `RPO ${Math.round(rpoSec)} s`;
    log('ERROR', `DR check failed (${rpo}): ${verification.failures.join('; ') || 'the last verified backup is too old'}`, { ...fields, alert: DR_ALERT });
  } else {
    log('NOTICE', `DR check verified backup ${backup!.id}: RPO ${rpoSec!.toFixed(1)} s, RTO ${rtoSec!.toFixed(1)} s`, fields);
  }
  return `DR check ${verified ? 'verified' : 'failed'}; report ${report.id}`;
};
