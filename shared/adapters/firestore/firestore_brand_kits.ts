import { Timestamp, type Firestore } from '@google-cloud/firestore';
import { z } from 'zod';
import { AspectRatioSchema } from '../../schemas/brief';
import { BRAND_KIT_APPROVED_KEPT, BrandKitSchema, type BrandKit } from '../../schemas/brand_kit';
import type { Manifest } from '../../schemas/manifest';
import type { BrandKitStore, CachedKeyframe } from '../../ports/brand_kits';

/** The derived-cache documents' TTL field: Firestore deletes a document once this time has passed. */
export const DERIVED_TTL_FIELD = 'expireAt';
export const DERIVED_COLLECTION = 'derived';

const DerivedKeyframeSchema = z.object({
  kind: z.literal('keyframe'),
  blobKey: z.string(),
  prompt: z.string(),
  aspectRatio: AspectRatioSchema,
  provider: z.string(),
  [DERIVED_TTL_FIELD]: z.instanceof(Timestamp),
});

/** One kit per tenant and brand: the id is both, so tenants never share a kit. */
export function brandKitId(tenant: string, brand: string): string {
  return `${encodeURIComponent(tenant)}:${encodeURIComponent(brand.trim().toLowerCase())}`;
}

/**
 * The brand memory in Firestore: `brandKits/{tenant+brand}` holds the kit; its `derived` subcollection the cache of
 * generated keyframes, each document carrying the TTL field `expireAt` (terraform sets the TTL policy on it).
 */
export class FirestoreBrandKits implements BrandKitStore {
  constructor(
    private readonly db: Firestore,
    private readonly collection = 'brandKits',
  ) {}

  private kitRef(tenant: string, brand: string) {
    return this.db.collection(this.collection).doc(brandKitId(tenant, brand));
  }

  async get(tenant: string, brand: string): Promise<BrandKit | null> {
    const snapshot = await this.kitRef(tenant, brand).get();
    return snapshot.exists ? BrandKitSchema.parse(snapshot.data()) : null;
  }

  async recordApproved(tenant: string, brand: string, jobId: string, manifest: Manifest, at: Date): Promise<void> {
    const ref = this.kitRef(tenant, brand);
    await this.db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      const kit = snapshot.exists ? BrandKitSchema.parse(snapshot.data()) : BrandKitSchema.parse({ tenant, brand, updatedAt: at.toISOString() });
      const others = kit.approvedManifests.filter((approved) => approved.jobId !== jobId);
      const approvedManifests = [{ jobId, approvedAt: at.toISOString(), manifest }, ...others].slice(0, BRAND_KIT_APPROVED_KEPT);
      tx.set(ref, BrandKitSchema.parse({ ...kit, approvedManifests, updatedAt: at.toISOString() }));
    });
  }

  async cachedKeyframe(tenant: string, brand: string, key: string, now: Date): Promise<CachedKeyframe | null> {
    const snapshot = await this.kitRef(tenant, brand).collection(DERIVED_COLLECTION).doc(key).get();
    if (!snapshot.exists) return null;
    const entry = DerivedKeyframeSchema.safeParse(snapshot.data());
    // TTL deletion runs within a day or so of expiry: until then an expired entry must read as absent.
    if (!entry.success || entry.data[DERIVED_TTL_FIELD].toMillis() <= now.getTime()) return null;
    const { blobKey, prompt, aspectRatio, provider } = entry.data;
    return { blobKey, prompt, aspectRatio, provider, expiresAt: entry.data[DERIVED_TTL_FIELD].toDate() };
  }

  async cacheKeyframe(tenant: string, brand: string, key: string, entry: CachedKeyframe): Promise<void> {
    const { expiresAt, ...fields } = entry;
    await this.kitRef(tenant, brand)
      .collection(DERIVED_COLLECTION)
      .doc(key)
      .set({ kind: 'keyframe', ...fields, [DERIVED_TTL_FIELD]: Timestamp.fromDate(expiresAt) });
  }
}
