import type { AspectRatio, Brief } from '../schemas/brief';
import type { BrandKit } from '../schemas/brand_kit';
import type { Manifest } from '../schemas/manifest';
import type { Capability, JudgeAnswer } from '../schemas/providers';
import type { PriceItem } from '../domain/prices';
import type { VoiceClip } from './media';

/** Billable units one provider call used, priced from the price table. */
export interface Usage {
  item: PriceItem;
  units: number;
}

/** One request to an external provider, run under the caller's resilience policy. */
export interface ProviderRequest<T> {
  capability: Capability;
  /** The provider's name (its model), which also names its circuit breaker. */
  provider: string;
  /** Longest one attempt may take. */
  timeoutMs: number;
  /** One attempt; must stop when `signal` aborts. */
  run(signal: AbortSignal): Promise<T>;
}

/**
 * What an adapter calls out through: every request gets per-attempt timeouts, retries and the provider's circuit
 * breaker; what it costs is billed to the job; a repair is noted in the job's provider events.
 */
export interface ProviderContext {
  call<T>(request: ProviderRequest<T>): Promise<T>;
  bill(usage: readonly Usage[]): void;
  noteRepair(capability: Capability, provider: string, detail: string): void;
}

export interface CreativeRequest {
  brief: Brief;
  kit: BrandKit | null;
  /** Set when the storyboard review sent the last storyboard back: the ABCD features it missed. */
  revision: { missing: string[] } | null;
}

/** Writes the timed storyboard (manifest) for a brief. */
export interface CreativeDirector {
  readonly name: string;
  direct(request: CreativeRequest, context: ProviderContext): Promise<Manifest>;
}

export interface ImageRequest {
  /** What to show, and what to leave out (Imagen 4 takes no separate negative prompt). */
  prompt: string;
  aspectRatio: AspectRatio;
}

export interface GeneratedMedia {
  bytes: Buffer;
  mimeType: string;
}

/** Generates a still picture (a scene's keyframe). */
export interface ImageGenerator {
  readonly name: string;
  generate(request: ImageRequest, context: ProviderContext): Promise<GeneratedMedia>;
}

/** Aspect ratios a video generator makes; other formats are cropped from one of them. */
export type VideoAspectRatio = '9:16' | '16:9';

export interface VideoRequest {
  prompt: string;
  negativePrompt: string;
  aspectRatio: VideoAspectRatio;
  durationSec: number;
}

export type VideoPoll = { done: false } | { done: true; video: GeneratedMedia } | { done: true; error: string };

/** Generates a video clip as a long-running operation: started once, polled later (by any process) by its name. */
export interface VideoGenerator {
  readonly name: string;
  /** Starts generating; returns the operation's name, which is all a later poll needs. */
  start(request: VideoRequest, context: ProviderContext): Promise<string>;
  /** Asks once how the operation is doing; `durationSec` is what was asked for (what a delivered clip is billed by). */
  poll(operation: { name: string; durationSec: number }, context: ProviderContext): Promise<VideoPoll>;
}

/** A voice that speaks through a provider: the offline voice's contract, with the call context. */
export interface GenerativeVoice {
  readonly name: string;
  /** Writes a WAV of `text` spoken no longer than `maxDurationSec`; throws SpeechTooLongError otherwise. */
  synthesize(text: string, outPath: string, maxDurationSec: number, context: ProviderContext): Promise<VoiceClip>;
}

export interface JudgeQuestion {
  feature: string;
  question: string;
}

export interface JudgeRequest {
  /** A small proxy of the rendered ad (video and audio). */
  videoPath: string;
  brief: Brief;
  questions: readonly JudgeQuestion[];
}

/** Watches a rendered ad and answers ABCD questions about it. */
export interface VideoJudge {
  readonly name: string;
  judge(request: JudgeRequest, context: ProviderContext): Promise<JudgeAnswer[]>;
}

/** The generative providers configured; null where the capability stays offline. */
export interface ProviderSet {
  creative: CreativeDirector | null;
  image: ImageGenerator | null;
  video: VideoGenerator | null;
  voice: GenerativeVoice | null;
  judge: VideoJudge | null;
}
