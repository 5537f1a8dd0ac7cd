// The stage table: the single source for the functions, the local runner, Terraform tests and docs.
//
// A job enters a state when a transition commits; the transition's message is then published to that
// state's topic, and the state's function does the work that moves the job on to one of `next`.
import { z } from 'zod';

export const STATES = [
  'SUBMITTED',
  'INPUT_SANITIZED',
  'CREATIVE_DIRECTION',
  'WAITING_APPROVAL',
  'RENDERING',
  'QA_TECH',
  'QA_SEMANTIC',
  'DELIVERED',
  'ERROR',
  'CANCELLED',
] as const;

export const StateSchema = z.enum(STATES);
export type State = z.infer<typeof StateSchema>;

export interface StageSpec {
  /** Pub/Sub topic the job's message is published to when it enters the state. */
  topic: string;
  /** Cloud Function (entry point) subscribed to the topic. */
  functionName: string;
  /** States the function may move the job to. */
  next: readonly State[];
  /** What the function does, for docs and logs. */
  work: string;
  /** How long one run of the function may take; drives the function timeout and the work lease. */
  timeoutSec: number;
  /** Memory the function needs, in MiB (Terraform reads this). */
  memoryMiB: number;
  terminal: boolean;
}

const toFailure = ['ERROR', 'CANCELLED'] as const;

export const STAGE_TABLE: Readonly<Record<State, StageSpec>> = {
  SUBMITTED: {
    topic: 'aiprod-submitted',
    functionName: 'sanitizeInput',
    next: ['INPUT_SANITIZED', ...toFailure],
    work: 'validate and normalise the brief, resolve its preset',
    timeoutSec: 60,
    memoryMiB: 256,
    terminal: false,
  },
  INPUT_SANITIZED: {
    topic: 'aiprod-input-sanitized',
    functionName: 'directCreative',
    next: ['CREATIVE_DIRECTION', ...toFailure],
    work: 'write the timed storyboard (manifest) for the brief',
    timeoutSec: 120,
    memoryMiB: 512,
    terminal: false,
  },
  CREATIVE_DIRECTION: {
    topic: 'aiprod-creative-direction',
    functionName: 'reviewStoryboard',
    // Back to INPUT_SANITIZED (creative direction) when the storyboard scores below the bar: a bounded revision.
    next: ['WAITING_APPROVAL', 'RENDERING', 'INPUT_SANITIZED', ...toFailure],
    work: 'score the storyboard on the ABCD rubric before any render; send it back for revision or on to approval or rendering',
    timeoutSec: 60,
    memoryMiB: 256,
    terminal: false,
  },
  WAITING_APPROVAL: {
    topic: 'aiprod-waiting-approval',
    functionName: 'requestApproval',
    // The function only files the approval request; the approve/reject API call moves the job on.
    next: ['RENDERING', ...toFailure],
    work: 'publish the storyboard for review and wait for a person to approve it',
    timeoutSec: 60,
    memoryMiB: 256,
    terminal: false,
  },
  RENDERING: {
    topic: 'aiprod-rendering',
    functionName: 'renderVideo',
    next: ['QA_TECH', ...toFailure],
    work: 'speak every line, time the scenes to the voice, write subtitles and music, fan out the scene renders',
    // A push subscription waits at most 600 s for the answer: a longer run would be redelivered mid-run.
    timeoutSec: 300,
    memoryMiB: 1024,
    terminal: false,
  },
  QA_TECH: {
    topic: 'aiprod-qa-tech',
    functionName: 'checkTechnicalQuality',
    // Back to RENDERING once, for faults a new render can fix (loudness, drift, a frozen or black stretch).
    next: ['QA_SEMANTIC', 'RENDERING', ...toFailure],
    work: 'analyse every rendered file: format, codecs, loudness, black, frozen and silent stretches',
    timeoutSec: 300,
    memoryMiB: 1024,
    terminal: false,
  },
  QA_SEMANTIC: {
    topic: 'aiprod-qa-semantic',
    functionName: 'checkSemanticQuality',
    next: ['DELIVERED', ...toFailure],
    work: 'score the ad against the brief (brand, key messages, call to action) and deliver it',
    timeoutSec: 300,
    memoryMiB: 512,
    terminal: false,
  },
  DELIVERED: {
    topic: 'aiprod-delivered',
    functionName: 'closeDeliveredJob',
    next: [],
    work: 'write the delivery receipt, total the cost ledger, remove scratch files',
    timeoutSec: 120,
    memoryMiB: 256,
    terminal: true,
  },
  ERROR: {
    topic: 'aiprod-error',
    functionName: 'closeFailedJob',
    next: [],
    work: 'total the cost ledger and remove partial outputs of the failed job',
    timeoutSec: 120,
    memoryMiB: 256,
    terminal: true,
  },
  CANCELLED: {
    topic: 'aiprod-cancelled',
    functionName: 'closeCancelledJob',
    next: [],
    work: 'total the cost ledger and remove partial outputs of the cancelled job',
    timeoutSec: 120,
    memoryMiB: 256,
    terminal: true,
  },
};

/**
 * Steps a state fans out into: RENDERING renders every (scene, format) clip in its own invocation, and the last
 * clip to finish queues the assembly, which moves the job on. Each step has its own topic and function.
 */
export const STEPS = ['scene', 'assemble', 'generate'] as const;
export type StepKind = (typeof STEPS)[number];

export interface StepSpec {
  state: State;
  topic: string;
  functionName: string;
  work: string;
  timeoutSec: number;
  memoryMiB: number;
}

export const STEP_TABLE: Readonly<Record<StepKind, StepSpec>> = {
  scene: {
    state: 'RENDERING',
    topic: 'aiprod-render-scene',
    functionName: 'renderScene',
    work: 'render one scene of one format as a video clip',
    timeoutSec: 300,
    memoryMiB: 2048,
  },
  assemble: {
    state: 'RENDERING',
    topic: 'aiprod-assemble-video',
    functionName: 'assembleVideo',
    work: 'join the scene clips of each format, mix voice and music, make stills',
    timeoutSec: 300,
    memoryMiB: 2048,
  },
  // A Veo clip takes minutes: this step starts it, or polls it for a short while and sends itself again.
  generate: {
    state: 'RENDERING',
    topic: 'aiprod-generate-media',
    functionName: 'generateSceneMedia',
    work: "generate one scene's keyframe, or start or briefly poll its Veo clip, then queue the scene's renders",
    timeoutSec: 120,
    memoryMiB: 512,
  },
};

/** Messages a stage could not handle after every retry end here; its function fails the job with the reason. */
export const DEAD_LETTER = {
  topic: 'aiprod-dead-letter',
  functionName: 'failDeadLetteredJob',
  timeoutSec: 60,
  memoryMiB: 256,
} as const;

/** How Pub/Sub retries a push subscription's failed deliveries, and after how many it gives a message up. */
export interface DeliveryPolicy {
  maxDeliveryAttempts: number;
  minimumBackoffSec: number;
  maximumBackoffSec: number;
}

/** Delivery policy shared by every stage subscription (Terraform mirrors these as variable defaults). */
export const DELIVERY_POLICY = {
  maxDeliveryAttempts: 5,
  minimumBackoffSec: 10,
  maximumBackoffSec: 600,
} as const satisfies DeliveryPolicy;

/**
 * The service table: functions beside the pipeline, each fed by its own topic through a push subscription with
 * its own delivery policy, and, when it has a schedule, fired by Cloud Scheduler (locally by local/scheduler.ts)
 * publishing to that topic. Like the stage table it is the single source for functions/index.ts, the local
 * topology and scheduler, Terraform's `services` variable and the docs.
 */
export const SERVICES = ['stuck-jobs', 'dr-check', 'webhook-events', 'webhook-deliveries', 'webhook-dead-letters', 'budget-check', 'billing-budget'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface ServiceSchedule {
  /** Unix cron (minute hour day-of-month month day-of-week), as Cloud Scheduler takes it. */
  cron: string;
  /** IANA time zone the cron is read in. */
  timeZone: string;
}

export interface ServiceSpec {
  topic: string;
  functionName: string;
  work: string;
  timeoutSec: number;
  memoryMiB: number;
  /** When set, the function runs once per firing of this schedule, however often the firing is delivered. */
  schedule?: ServiceSchedule;
  delivery: DeliveryPolicy;
  /** Where the subscription forwards a message after delivery.maxDeliveryAttempts; without one it retries until retention ends. */
  deadLetterTopic?: string;
}

/** Where the webhook deliveries Pub/Sub gives up on go: the topic of the webhook-dead-letters service. */
const WEBHOOK_DEAD_LETTER_TOPIC = 'aiprod-webhook-dead-letter';

export const SERVICE_TABLE: Readonly<Record<ServiceName, ServiceSpec>> = {
  'stuck-jobs': {
    topic: 'aiprod-sweep-stuck-jobs',
    functionName: 'sweepStuckJobs',
    work: "re-publish the message of every job that made no progress within its stage's timeout; fail it when it stalls again (WAITING_APPROVAL waits for a person and is never swept)",
    timeoutSec: 120,
    memoryMiB: 256,
    schedule: { cron: '*/5 * * * *', timeZone: 'Etc/UTC' },
    delivery: DELIVERY_POLICY,
    deadLetterTopic: DEAD_LETTER.topic,
  },
  'dr-check': {
    topic: 'aiprod-dr-check',
    functionName: 'checkDisasterRecovery',
    work: 'export Firestore into the backups bucket, restore it into a scratch database, compare counts and sampled checksums, check every delivered file exists; record RPO and RTO in dr_reports, alert on failure or RPO over 24 h',
    // An export and an import of a large database take minutes; the push deadline (600 s) bounds the whole check.
    timeoutSec: 540,
    memoryMiB: 512,
    schedule: { cron: '0 */6 * * *', timeZone: 'Etc/UTC' },
    // A failed check is reported, not thrown; a redelivery only follows an infrastructure error, so wait a while.
    delivery: { maxDeliveryAttempts: 5, minimumBackoffSec: 60, maximumBackoffSec: 600 },
    deadLetterTopic: DEAD_LETTER.topic,
  },
  'webhook-events': {
    topic: 'aiprod-webhook-events',
    functionName: 'fanOutWebhookEvent',
    work: 'record one delivery of each job, batch and budget event per webhook of the tenant subscribed to it, and queue it',
    timeoutSec: 60,
    memoryMiB: 256,
    // Events should reach receivers within seconds: retry soon, and hand a message that keeps failing to the archive.
    delivery: { maxDeliveryAttempts: 5, minimumBackoffSec: 1, maximumBackoffSec: 60 },
    deadLetterTopic: DEAD_LETTER.topic,
  },
  'webhook-deliveries': {
    topic: 'aiprod-webhook-deliveries',
    functionName: 'deliverWebhook',
    work: 'sign one delivery and POST it to its webhook (at most 3 redirects, each hop checked against the URL policy); log the attempt, retry on anything but 2xx',
    // Up to four requests of at most 10 s each.
    timeoutSec: 60,
    memoryMiB: 256,
    // Pub/Sub's exponential backoff between 1 s and 30 s: retries after about 1, 2, 4, 8 and 16-30 s, then the dead letter.
    delivery: { maxDeliveryAttempts: 6, minimumBackoffSec: 1, maximumBackoffSec: 30 },
    deadLetterTopic: WEBHOOK_DEAD_LETTER_TOPIC,
  },
  'webhook-dead-letters': {
    topic: WEBHOOK_DEAD_LETTER_TOPIC,
    functionName: 'failWebhookDelivery',
    work: 'mark a delivery Pub/Sub gave up on failed in the delivery log, with its last error',
    timeoutSec: 60,
    memoryMiB: 256,
    // Nowhere further to forward to: a failure here is retried until the message's retention ends.
    delivery: DELIVERY_POLICY,
  },
  'budget-check': {
    topic: 'aiprod-budget-check',
    functionName: 'checkBudgets',
    work: "compare every tenant's spending this month with its budget; alert once per month at 50, 90 and 100 %; at 100 % pause the queued jobs until the budget is raised, then resume them; record each run in budget_reports",
    timeoutSec: 120,
    memoryMiB: 256,
    schedule: { cron: '*/15 * * * *', timeZone: 'Etc/UTC' },
    delivery: DELIVERY_POLICY,
    deadLetterTopic: DEAD_LETTER.topic,
  },
  // Not scheduled: Cloud Billing publishes the project budget's notifications to this topic (terraform/budgets.tf).
  'billing-budget': {
    topic: 'aiprod-billing-budget',
    functionName: 'recordBillingBudget',
    work: "record each Cloud Billing budget notification (the project's cost in the budget's interval) in billing_budget_reports; alert once per interval at 50, 90 and 100 %",
    timeoutSec: 60,
    memoryMiB: 256,
    delivery: DELIVERY_POLICY,
    deadLetterTopic: DEAD_LETTER.topic,
  },
};

export function stageOf(state: State): StageSpec {
  return STAGE_TABLE[state];
}

export function canTransition(from: State, to: State): boolean {
  return STAGE_TABLE[from].next.includes(to);
}

export function stateForTopic(topic: string): State | undefined {
  return STATES.find((s) => STAGE_TABLE[s].topic === topic);
}

export const TERMINAL_STATES: readonly State[] = STATES.filter((s) => STAGE_TABLE[s].terminal);
