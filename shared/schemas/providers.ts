import { z } from 'zod';
import { StateSchema } from '../stages';
import { AspectRatioSchema } from './brief';

/** What an external generative provider does for the pipeline; each has an offline counterpart. */
export const CAPABILITIES = ['creative', 'image', 'video', 'voice', 'judge'] as const;
export const CapabilitySchema = z.enum(CAPABILITIES);
export type Capability = z.infer<typeof CapabilitySchema>;

export const PROVIDER_EVENT_KINDS = ['retry', 'breaker_open', 'breaker_half_open', 'breaker_closed', 'fallback', 'repair'] as const;
export const ProviderEventKindSchema = z.enum(PROVIDER_EVENT_KINDS);
export type ProviderEventKind = z.infer<typeof ProviderEventKindSchema>;

/** One retry, breaker change, repair or fallback of a provider call, kept on the job beside its state history. */
export const ProviderEventSchema = z.strictObject({
  at: z.iso.datetime(),
  stage: StateSchema,
  capability: CapabilitySchema,
  provider: z.string(),
  kind: ProviderEventKindSchema,
  detail: z.string(),
});
export type ProviderEvent = z.infer<typeof ProviderEventSchema>;

/** How a scene's pictures are made: a generated clip, a generated keyframe set in motion, or the offline renderer. */
export const SCENE_BACKENDS = ['veo', 'imagen', 'local'] as const;
export const SceneBackendSchema = z.enum(SCENE_BACKENDS);
export type SceneBackend = z.infer<typeof SceneBackendSchema>;

/** The backend chosen for one scene before rendering, with its estimated cost and why. */
export const SceneBackendChoiceSchema = z.strictObject({
  sceneIndex: z.number().int().min(0),
  backend: SceneBackendSchema,
  estimateUsd: z.number().min(0),
  reason: z.string(),
});
export type SceneBackendChoice = z.infer<typeof SceneBackendChoiceSchema>;

/**
 * The generated picture source of one scene in one source format (several delivered formats may share one): its
 * backend so far (a fallback changes it), whether it is ready, where the file is, and a Veo operation being polled.
 */
export const SceneSourceSchema = z.strictObject({
  sceneIndex: z.number().int().min(0),
  sourceRatio: AspectRatioSchema,
  planned: SceneBackendSchema,
  backend: SceneBackendSchema,
  status: z.enum(['pending', 'ready']),
  /** The generated file (a keyframe or a clip); null when the scene falls back to the offline renderer. */
  blobKey: z.string().nullable(),
  operationName: z.string().nullable(),
  polls: z.number().int().min(0),
  /** The work key of the step that last changed this source: it sends what follows (the next poll, the scene renders). */
  changedBy: z.string(),
  note: z.string(),
});
export type SceneSource = z.infer<typeof SceneSourceSchema>;

export const EstimateLineSchema = z.strictObject({
  what: z.string(),
  item: z.string(),
  units: z.number().min(0),
  unit: z.string(),
  unitPriceUsd: z.number().min(0),
  costUsd: z.number().min(0),
});
export type EstimateLine = z.infer<typeof EstimateLineSchema>;

/** What a job is expected to cost before it is made, line by line, from the price table. */
export const JobEstimateSchema = z.strictObject({
  lines: z.array(EstimateLineSchema),
  totalUsd: z.number().min(0),
});
export type JobEstimate = z.infer<typeof JobEstimateSchema>;

/** The video judge's answer to one ABCD question. */
export const JudgeAnswerSchema = z.strictObject({
  feature: z.string(),
  detected: z.boolean(),
  evidence: z.string(),
});
export type JudgeAnswer = z.infer<typeof JudgeAnswerSchema>;

/** What the video judge said about one delivered format, and how far it agreed with the measured features. */
export const JudgeReportSchema = z.strictObject({
  aspectRatio: AspectRatioSchema,
  provider: z.string(),
  answers: z.array(JudgeAnswerSchema),
  /** Features both decided on which the judge agreed with the measurement, 0..1. */
  agreement: z.number().min(0).max(1),
  disagreements: z.array(z.string()),
});
export type JudgeReport = z.infer<typeof JudgeReportSchema>;
