import type { AspectRatio } from '../schemas/brief';
import type { BrandKit } from '../schemas/brand_kit';
import type { Manifest } from '../schemas/manifest';

/** A generated keyframe kept for reuse by later ads of the same brand, until it expires. */
export interface CachedKeyframe {
  blobKey: string;
  prompt: string;
  aspectRatio: AspectRatio;
  provider: string;
  expiresAt: Date;
}

/** The brand memory: one kit per tenant and brand, and the cache of what was generated for it. */
export interface BrandKitStore {
  get(tenant: string, brand: string): Promise<BrandKit | null>;
  /** Keeps the manifest among the brand's last approved ones (idempotent per job); creates the kit when absent. */
  recordApproved(tenant: string, brand: string, jobId: string, manifest: Manifest, at: Date): Promise<void>;
  /** A live cached keyframe under `key`, or null (expired entries count as absent before TTL removes them). */
  cachedKeyframe(tenant: string, brand: string, key: string, now: Date): Promise<CachedKeyframe | null>;
  cacheKeyframe(tenant: string, brand: string, key: string, entry: CachedKeyframe): Promise<void>;
}
