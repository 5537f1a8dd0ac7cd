import { z } from 'zod';
import { StateSchema } from '../stages';
import { AspectRatioSchema, BriefSchema } from './brief';
import { ManifestSchema } from './manifest';
import { PresetSchema } from './preset';

const IsoTimeSchema = z.iso.datetime();

export const TransitionRecordSchema = z.strictObject({
  from: StateSchema.nullable(),
  to: StateSchema,
  at: IsoTimeSchema,
  reason: z.string(),
  /** Id of the event this transition published; redelivered work finds it and does nothing. */
  eventId: z.string(),
  /** Id of the event whose handling made this transition (null for the submission). */
  causeEventId: z.string().nullable(),
});
export type TransitionRecord = z.infer<typeof TransitionRecordSchema>;

export const StageTimingSchema = z.strictObject({
  attempts: z.number().int().min(0),
  startedAt: IsoTimeSchema.optional(),
  finishedAt: IsoTimeSchema.optional(),
  durationMs: z.number().min(0).optional(),
});

export const LedgerEntrySchema = z.strictObject({
  stage: StateSchema,
  item: z.string(),
  units: z.number().min(0),
  unit: z.string(),
  unitPriceUsd: z.number().min(0),
  costUsd: z.number().min(0),
  eventId: z.string(),
});
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;

export const RenditionSchema = z.strictObject({
  aspectRatio: AspectRatioSchema,
  blobKey: z.string(),
  uri: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  durationSec: z.number(),
  bytes: z.number().int(),
});
export type Rendition = z.infer<typeof RenditionSchema>;

export const QaCheckSchema = z.strictObject({
  name: z.string(),
  passed: z.boolean(),
  value: z.union([z.string(), z.number(), z.boolean()]),
  expected: z.string(),
  subject: z.string().optional(),
});
export type QaCheck = z.infer<typeof QaCheckSchema>;

export const QaReportSchema = z.strictObject({
  passed: z.boolean(),
  score: z.number().min(0).max(1).optional(),
  bar: z.number().min(0).max(1).optional(),
  checks: z.array(QaCheckSchema),
});
export type QaReport = z.infer<typeof QaReportSchema>;

/** A stage run in progress; a second delivery of the same event waits while the lease is live. */
export const LeaseSchema = z.strictObject({
  state: StateSchema,
  eventId: z.string(),
  holder: z.string(),
  expiresAt: IsoTimeSchema,
});

export const FailureSchema = z.strictObject({
  state: StateSchema,
  message: z.string(),
  at: IsoTimeSchema,
});

export const JobSchema = z.strictObject({
  id: z.string(),
  tenant: z.string(),
  brief: BriefSchema,
  preset: PresetSchema.nullable(),
  state: StateSchema,
  stateEventId: z.string(),
  stateHistory: z.array(TransitionRecordSchema),
  timings: z.partialRecord(StateSchema, StageTimingSchema),
  costLedger: z.array(LedgerEntrySchema),
  manifest: ManifestSchema.nullable(),
  renditions: z.array(RenditionSchema),
  qa: z.strictObject({ tech: QaReportSchema.optional(), semantic: QaReportSchema.optional() }),
  outputs: z.strictObject({
    videos: z.array(RenditionSchema),
    receiptUri: z.string().optional(),
  }),
  approval: z
    .strictObject({ requestedAt: IsoTimeSchema, storyboardUri: z.string(), decidedAt: IsoTimeSchema.optional() })
    .nullable(),
  lease: LeaseSchema.nullable(),
  /** Event whose work finished without moving the job (approval requested, job closed). */
  settledEventId: z.string().nullable(),
  lastFailure: FailureSchema.nullable(),
  error: z.strictObject({ state: StateSchema, reason: z.string() }).nullable(),
  totalCostUsd: z.number().min(0),
  createdAt: IsoTimeSchema,
  updatedAt: IsoTimeSchema,
  completedAt: IsoTimeSchema.nullable(),
});
export type Job = z.infer<typeof JobSchema>;

/** Fields a stage may set on the job when it finishes (or fails). */
export type JobPatch = Partial<
  Pick<Job, 'brief' | 'preset' | 'manifest' | 'renditions' | 'qa' | 'outputs' | 'approval' | 'error' | 'totalCostUsd' | 'completedAt'>
>;
