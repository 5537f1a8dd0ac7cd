import { z } from 'zod';
import { PrincipalSchema } from '../domain/auth/principal';
import { StateSchema } from '../stages';
import { AspectRatioSchema, BriefSchema } from './brief';
import { ManifestSchema } from './manifest';
import { PresetSchema } from './preset';
import { JobEstimateSchema, JudgeReportSchema, ProviderEventSchema, SceneBackendChoiceSchema, SceneSourceSchema } from './providers';
import { BudgetSettlementSchema, ReservationSchema } from './tenant';

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
  voiceTrackKey: z.string(),
  posterUri: z.string(),
  contactSheetUri: z.string(),
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

const TimeSpanSchema = z.strictObject({ startSec: z.number(), endSec: z.number() });

/** What QA_TECH measured on one delivered file; QA_SEMANTIC confirms the storyboard against it. */
export const MediaAnalysisSchema = z.strictObject({
  aspectRatio: AspectRatioSchema,
  integratedLufs: z.number(),
  truePeakDbtp: z.number(),
  blackSpans: z.array(TimeSpanSchema),
  freezeSpans: z.array(TimeSpanSchema),
  voiceSilenceSpans: z.array(TimeSpanSchema),
  speechOnsetSec: z.number().nullable(),
  shotChangesSec: z.array(z.number()),
});
export type MediaAnalysisRecord = z.infer<typeof MediaAnalysisSchema>;

export const QaReportSchema = z.strictObject({
  passed: z.boolean(),
  score: z.number().min(0).max(1).optional(),
  bar: z.number().min(0).max(1).optional(),
  checks: z.array(QaCheckSchema),
});
export type QaReport = z.infer<typeof QaReportSchema>;

/** A run in progress; a second delivery of the same work waits while the lease is live. */
export const LeaseSchema = z.strictObject({
  holder: z.string(),
  expiresAt: IsoTimeSchema,
});

export const SubtitleCueSchema = z.strictObject({ startSec: z.number().min(0), endSec: z.number().min(0), text: z.string() });

/** What one RENDERING run prepared and how far its fan-out has got. */
export const RenderPlanSchema = z.strictObject({
  eventId: z.string(),
  voice: z.array(z.strictObject({ sceneIndex: z.number().int(), blobKey: z.string(), startSec: z.number(), durationSec: z.number() })),
  subtitles: z.array(SubtitleCueSchema),
  musicKey: z.string(),
  /** Clip blob keys by `${sceneIndex}@${aspectRatio}`, filled in as scene steps finish. */
  clips: z.record(z.string(), z.string()),
  /** The work key of the scene step that found every clip done and queued the assembly. */
  assemblyQueuedBy: z.string().nullable(),
  /** The backend chosen for each scene before rendering. */
  backends: z.array(SceneBackendChoiceSchema).default([]),
  /** Generated picture sources by `${sceneIndex}@${sourceRatio}`, filled in as generate steps finish. */
  sources: z.record(z.string(), SceneSourceSchema).default({}),
});
export type RenderPlan = z.infer<typeof RenderPlanSchema>;

export const FailureSchema = z.strictObject({
  state: StateSchema,
  message: z.string(),
  at: IsoTimeSchema,
});

/** The stuck-job sweeper re-published the message of the state entered by `eventId`; a second stall fails the job. */
export const SweepSchema = z.strictObject({
  state: StateSchema,
  eventId: z.string(),
  republishedAt: IsoTimeSchema,
  /** Set when a job stalled again in a terminal state, which it cannot leave: the sweeper stops trying. */
  gaveUpAt: IsoTimeSchema.optional(),
});
export type Sweep = z.infer<typeof SweepSchema>;

/** One change a person made to the storyboard while it waited for approval. */
export const ManifestEditSchema = z.strictObject({
  at: IsoTimeSchema,
  by: PrincipalSchema,
  changes: z.array(z.strictObject({ path: z.string(), from: z.string(), to: z.string() })).min(1),
});
export type ManifestEdit = z.infer<typeof ManifestEditSchema>;

/** The budget check held the job (its tenant's budget was used up) in `state`; resumedAt is set when it let it go. */
export const PauseSchema = z.strictObject({
  state: StateSchema,
  at: IsoTimeSchema,
  reason: z.string(),
  resumedAt: IsoTimeSchema.nullable(),
  resumeReason: z.string().nullable(),
});
export type Pause = z.infer<typeof PauseSchema>;

export const JobSchema = z.strictObject({
  id: z.string(),
  tenant: z.string(),
  /** Who submitted the job (null for jobs the platform made itself). */
  createdBy: PrincipalSchema.nullable(),
  /** The batch the job was submitted in, if any. */
  batchId: z.string().nullable(),
  brief: BriefSchema,
  preset: PresetSchema.nullable(),
  state: StateSchema,
  stateEventId: z.string(),
  stateHistory: z.array(TransitionRecordSchema),
  timings: z.partialRecord(StateSchema, StageTimingSchema),
  costLedger: z.array(LedgerEntrySchema),
  manifest: ManifestSchema.nullable(),
  /** Every plan-time review of the storyboard, in order; a failed one sends it back to creative direction. */
  storyboardReviews: z.array(
    z.strictObject({ at: IsoTimeSchema, score: z.number(), bar: z.number(), passed: z.boolean(), missing: z.array(z.string()) }),
  ),
  renditions: z.array(RenditionSchema),
  qa: z.strictObject({
    tech: QaReportSchema.optional(),
    semantic: QaReportSchema.optional(),
    analyses: z.array(MediaAnalysisSchema).optional(),
    /** The video judge's answers per format, when a judge took part. */
    judge: z.array(JudgeReportSchema).optional(),
  }),
  outputs: z.strictObject({
    videos: z.array(RenditionSchema),
    subtitles: z.strictObject({ srtUri: z.string(), vttUri: z.string() }).optional(),
    receiptUri: z.string().optional(),
  }),
  approval: z
    .strictObject({
      requestedAt: IsoTimeSchema,
      storyboardUri: z.string(),
      decidedAt: IsoTimeSchema.optional(),
      decision: z.enum(['approved', 'rejected']).optional(),
      decidedBy: PrincipalSchema.optional(),
      comment: z.string().optional(),
    })
    .nullable(),
  /** Every storyboard edit made while the job waited for approval, oldest first. */
  manifestEdits: z.array(ManifestEditSchema),
  /** Live leases by work key (see workKeyOf). */
  leases: z.record(z.string(), LeaseSchema),
  /** Work keys whose work is done without moving the job (approval requested, a scene rendered, job closed). */
  settledWork: z.array(z.string()),
  render: RenderPlanSchema.nullable(),
  lastFailure: FailureSchema.nullable(),
  error: z.strictObject({ state: StateSchema, reason: z.string() }).nullable(),
  sweep: SweepSchema.optional(),
  totalCostUsd: z.number().min(0),
  /** Every retry, circuit-breaker change, repair and fallback of a provider call, in order (append-only). */
  providerEvents: z.array(ProviderEventSchema).default([]),
  /** The cost expected when the backends were chosen; `totalCostUsd` is the actual cost (the ledger's sum). */
  estimate: JobEstimateSchema.nullable().default(null),
  /** Actual minus estimate, set when the job closes. */
  costDifferenceUsd: z.number().nullable().default(null),
  /** What the job set aside of its tenant's monthly budget at submission; null when the tenant had no budget. */
  reservation: ReservationSchema.nullable().default(null),
  /** Its cost counted against the budget and its reservation released, once, when it closed. */
  budgetSettlement: BudgetSettlementSchema.nullable().default(null),
  /** Every hold the budget check put on the job, oldest first; the job is paused while the last is not resumed. */
  pauses: z.array(PauseSchema).default([]),
  createdAt: IsoTimeSchema,
  updatedAt: IsoTimeSchema,
  completedAt: IsoTimeSchema.nullable(),
});
export type Job = z.infer<typeof JobSchema>;

/** Fields a stage may set on the job when it finishes (or fails). */
export type JobPatch = Partial<
  Pick<Job, 'brief' | 'preset' | 'manifest' | 'manifestEdits' | 'storyboardReviews' | 'renditions' | 'render' | 'qa' | 'outputs' | 'approval' | 'error' | 'totalCostUsd' | 'completedAt' | 'estimate' | 'costDifferenceUsd' | 'pauses'>
>;
