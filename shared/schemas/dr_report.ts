import { z } from 'zod';

const IsoTimeSchema = z.iso.datetime();

export const BackupSchema = z.strictObject({
  id: z.string(),
  uri: z.string(),
  startedAt: IsoTimeSchema,
  consistentFrom: IsoTimeSchema,
  consistentTo: IsoTimeSchema,
  completedAt: IsoTimeSchema,
});

/** One run of the scheduled DR check, in `dr_reports/{id}`. */
export const DrReportSchema = z.strictObject({
  /** The firing the check ran for. */
  id: z.string(),
  scheduledAt: IsoTimeSchema,
  startedAt: IsoTimeSchema,
  finishedAt: IsoTimeSchema,
  backup: BackupSchema.nullable(),
  /** Measured restore time: from starting the restore to the restored copy answering reads. */
  rtoSec: z.number().min(0).nullable(),
  /** Document counts per root collection: the restored copy's, and the live database's at both ends of the export. */
  collections: z.array(
    z.strictObject({ collection: z.string(), restored: z.number().int(), liveAtStart: z.number().int(), liveAtEnd: z.number().int(), passed: z.boolean() }),
  ),
  /** Sampled documents whose checksum in the restored copy was compared with the live database's. */
  sample: z.strictObject({ checked: z.number().int(), mismatched: z.array(z.strictObject({ collection: z.string(), id: z.string() })) }),
  /** The restored copy's delivered jobs, and the files of theirs the blob store lacks. */
  deliveredFiles: z.strictObject({
    jobs: z.number().int(),
    files: z.number().int(),
    missing: z.array(z.strictObject({ jobId: z.string(), keys: z.array(z.string()) })),
  }),
  verified: z.boolean(),
  failures: z.array(z.string()),
  /** When the most recent verified backup (this one or an earlier one) was taken; null when none ever was. */
  lastVerifiedBackupAt: IsoTimeSchema.nullable(),
  /** Age of the last verified backup when the check finished; null when none was ever verified. */
  rpoSec: z.number().min(0).nullable(),
  alert: z.boolean(),
});
export type DrReport = z.infer<typeof DrReportSchema>;
