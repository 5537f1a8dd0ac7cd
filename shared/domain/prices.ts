import type { LedgerEntry } from '../schemas/job';
import type { State } from '../stages';

export interface Price {
  unit: string;
  usd: number;
  source: string;
  asOf: string;
}

/** Every price the ledger uses, with where it comes from. */
export const PRICES = {
  // Cloud Run functions (gen2) Tier 1 CPU price; the render stage runs with 2 vCPU.
  'compute.vcpu': {
    unit: 'vCPU-second',
    usd: 0.000024,
    source: 'https://cloud.google.com/run/pricing (Tier 1, CPU, instance-based billing)',
    asOf: '2026-11-01',
  },
  'compute.memory': {
    unit: 'GiB-second',
    usd: 0.0000025,
    source: 'https://cloud.google.com/run/pricing (Tier 1, memory, instance-based billing)',
    asOf: '2026-11-01',
  },
  'voice.espeak-ng': {
    unit: 'character',
    usd: 0,
    source: 'espeak-ng runs inside the function: no per-character charge beyond compute',
    asOf: '2026-11-01',
  },
  'voice.festival-cmu-us-slt-hts': {
    unit: 'character',
    usd: 0,
    source: 'Festival runs inside the function: no per-character charge beyond compute',
    asOf: '2026-11-01',
  },
} as const satisfies Record<string, Price>;

export type PriceItem = keyof typeof PRICES;

export function ledgerEntry(stage: State, item: PriceItem, units: number, eventId: string): LedgerEntry {
  const price = PRICES[item];
  const costUsd = Math.round(units * price.usd * 1e8) / 1e8;
  return { stage, item, units, unit: price.unit, unitPriceUsd: price.usd, costUsd, eventId };
}

/** Ledger entries for `seconds` of a function with `vcpus` CPUs and `memoryGiB` memory. */
export function computeEntries(stage: State, seconds: number, vcpus: number, memoryGiB: number, eventId: string): LedgerEntry[] {
  return [
    ledgerEntry(stage, 'compute.vcpu', seconds * vcpus, eventId),
    ledgerEntry(stage, 'compute.memory', seconds * memoryGiB, eventId),
  ];
}

export function ledgerTotal(entries: readonly LedgerEntry[]): number {
  return Math.round(entries.reduce((sum, entry) => sum + entry.costUsd, 0) * 1e8) / 1e8;
}

/** The price item of a voice, by the voice's name; a voice without a price is a configuration error. */
export function voicePriceItem(voiceName: string): PriceItem {
  const item = `voice.${voiceName}`;
  if (!(item in PRICES)) throw new Error(`no price for voice ${voiceName} in shared/domain/prices.ts`);
  return item as PriceItem;
}
