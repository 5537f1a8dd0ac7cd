import type { LedgerEntry } from '../schemas/job';
import type { State } from '../stages';

export interface Price {
  unit: string;
  usd: number;
  source: string;
  /** When the price was read from its source. */
  asOf: string;
}

const CLOUD_RUN = 'https://cloud.google.com/run/pricing';
const CLOUD_STORAGE = 'https://cloud.google.com/storage/pricing';
const VERTEX_GENAI = 'https://cloud.google.com/vertex-ai/generative-ai/pricing';
const GEMINI_API = 'https://ai.google.dev/gemini-api/docs/pricing';
/**
 * The generative prices are the published list prices as the team last read them (September 2025); the pages above
 * are the authority, so re-read them before relying on a figure for billing.
 */
const GENAI_AS_OF = '2025-09-30';
const PER_MILLION = 1 / 1_000_000;

/** Every price the ledger and the estimate use, with where it comes from. Keys are the ledger's `item`. */
export const PRICES = {
  // Cloud Run functions (gen2) Tier 1 CPU price; the render stage runs with 2 vCPU.
  'compute.vcpu': { unit: 'vCPU-second', usd: 0.000024, source: `${CLOUD_RUN} (Tier 1, CPU, instance-based billing)`, asOf: '2026-11-01' },
  'compute.memory': { unit: 'GiB-second', usd: 0.0000025, source: `${CLOUD_RUN} (Tier 1, memory, instance-based billing)`, asOf: '2026-11-01' },
  'storage.standard': { unit: 'GiB-month', usd: 0.02, source: `${CLOUD_STORAGE} (Standard storage, regional, e.g. us-central1; re-read before billing)`, asOf: '2025-09-30' },
  'network.egress': {
    unit: 'GiB',
    usd: 0.12,
    source: `${CLOUD_STORAGE}#network-egress (internet egress, premium tier, first TiB a month, most destinations; re-read before billing)`,
    asOf: '2025-09-30',
  },
  'voice.espeak-ng': { unit: 'character', usd: 0, source: 'espeak-ng runs inside the function: no per-character charge beyond compute', asOf: '2026-11-01' },
  'voice.festival-cmu-us-slt-hts': { unit: 'character', usd: 0, source: 'Festival runs inside the function: no per-character charge beyond compute', asOf: '2026-11-01' },
  // Gemini 2.5 Flash: text, image and video input; output includes thinking tokens.
  'gemini-2.5-flash/input-token': { unit: 'token', usd: 0.3 * PER_MILLION, source: `${VERTEX_GENAI} (Gemini 2.5 Flash, input, text/image/video, <= 200K context)`, asOf: GENAI_AS_OF },
  'gemini-2.5-flash/output-token': { unit: 'token', usd: 2.5 * PER_MILLION, source: `${VERTEX_GENAI} (Gemini 2.5 Flash, output incl. thinking)`, asOf: GENAI_AS_OF },
  'gemini-2.5-pro/input-token': { unit: 'token', usd: 1.25 * PER_MILLION, source: `${VERTEX_GENAI} (Gemini 2.5 Pro, input, <= 200K context)`, asOf: GENAI_AS_OF },
  'gemini-2.5-pro/output-token': { unit: 'token', usd: 10 * PER_MILLION, source: `${VERTEX_GENAI} (Gemini 2.5 Pro, output, <= 200K context)`, asOf: GENAI_AS_OF },
  'gemini-2.5-flash-preview-tts/input-token': { unit: 'token', usd: 0.5 * PER_MILLION, source: `${GEMINI_API} (Gemini 2.5 Flash Preview TTS, text input)`, asOf: GENAI_AS_OF },
  'gemini-2.5-flash-preview-tts/output-token': { unit: 'token', usd: 10 * PER_MILLION, source: `${GEMINI_API} (Gemini 2.5 Flash Preview TTS, audio output)`, asOf: GENAI_AS_OF },
  'imagen-4.0-generate-001/image': { unit: 'image', usd: 0.04, source: `${VERTEX_GENAI} (Imagen 4, image generation)`, asOf: GENAI_AS_OF },
  'imagen-4.0-fast-generate-001/image': { unit: 'image', usd: 0.02, source: `${VERTEX_GENAI} (Imagen 4 Fast, image generation)`, asOf: GENAI_AS_OF },
  // The pipeline asks Veo for pictures only (generateAudio false): its own voice and music are mixed in later.
  'veo-3.0-generate-001/video-second': { unit: 'second of video', usd: 0.2, source: `${VERTEX_GENAI} (Veo 3, video generation without audio)`, asOf: GENAI_AS_OF },
  'veo-3.0-fast-generate-001/video-second': { unit: 'second of video', usd: 0.1, source: `${VERTEX_GENAI} (Veo 3 Fast, video generation without audio)`, asOf: GENAI_AS_OF },
} as const satisfies Record<string, Price>;

export type PriceItem = keyof typeof PRICES;

/** What a model's calls are billed by. */
export type ModelUnit = 'input-token' | 'output-token' | 'image' | 'video-second';

export class UnpricedItemError extends Error {
  constructor(item: string) {
    super(`no price for ${item} in shared/domain/prices.ts: add it with its source before using it`);
    this.name = 'UnpricedItemError';
  }
}

export function isPriceItem(item: string): item is PriceItem {
  return Object.hasOwn(PRICES, item);
}

/** The price item of a model's unit; a model without a price is a configuration error, found at start-up. */
export function modelPriceItem(model: string, unit: ModelUnit): PriceItem {
  const item = `${model}/${unit}`;
  if (!isPriceItem(item)) throw new UnpricedItemError(item);
  return item;
}

export function costOf(item: PriceItem, units: number): number {
  return Math.round(units * PRICES[item].usd * 1e8) / 1e8;
}

export function ledgerEntry(stage: State, item: PriceItem, units: number, eventId: string): LedgerEntry {
  const price = PRICES[item];
  return { stage, item, units, unit: price.unit, unitPriceUsd: price.usd, costUsd: costOf(item, units), eventId };
}

/** Ledger entries for `seconds` of a function with `vcpus` CPUs and `memoryGiB` memory. */
export function computeEntries(stage: State, seconds: number, vcpus: number, memoryGiB: number, eventId: string): LedgerEntry[] {
  return [
    ledgerEntry(stage, 'compute.vcpu', seconds * vcpus, eventId),
    ledgerEntry(stage, 'compute.memory', seconds * memoryGiB, eventId),
  ];
}

/** Sum of costs, rounded as the ledger rounds. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e8) / 1e8;
}

export function ledgerTotal(entries: readonly LedgerEntry[]): number {
  return roundUsd(entries.reduce((sum, entry) => sum + entry.costUsd, 0));
}

/** The price item of a voice, by the voice's name; a voice without a price is a configuration error. */
export function voicePriceItem(voiceName: string): PriceItem {
  const item = `voice.${voiceName}`;
  if (!isPriceItem(item)) throw new UnpricedItemError(item);
  return item;
}

export const BYTES_PER_GIB = 1024 ** 3;

/**
 * Ledger entries for delivering `bytes` of files: a month of storage in the media bucket (the month the job is
 * delivered in; keeping them longer is the tenant's standing storage) and one download of each.
 */
export function deliveryEntries(stage: State, bytes: number, eventId: string): LedgerEntry[] {
  const gib = bytes / BYTES_PER_GIB;
  return [ledgerEntry(stage, 'storage.standard', gib, eventId), ledgerEntry(stage, 'network.egress', gib, eventId)];
}
