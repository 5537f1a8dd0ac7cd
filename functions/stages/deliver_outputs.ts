import type { Job, Rendition } from '../../shared/schemas/job';
import type { Runtime } from '../runtime';
import { blobKeys, ratioSlug, slugify } from './blob_keys';

/** Copies every deliverable (videos, posters, storyboards, subtitles) under its final name. */
export async function deliverOutputs(runtime: Runtime, job: Job): Promise<Job['outputs']> {
  const base = slugify(`${job.brief.brand.name}-${job.brief.durationSec}s`);
  const eventId = job.render?.eventId;
  if (eventId === undefined) throw new Error('nothing was rendered to deliver');
  const videos: Rendition[] = [];
  for (const rendition of job.renditions) {
    const name = `${base}-${ratioSlug(rendition.aspectRatio)}`;
    const blobKey = blobKeys.delivery(job.id, `${name}.mp4`);
    const [uri, posterUri, contactSheetUri] = await Promise.all([
      runtime.blobs.copy(rendition.blobKey, blobKey),
      runtime.blobs.copy(blobKeys.poster(job.id, eventId, rendition.aspectRatio), blobKeys.delivery(job.id, `${name}-poster.png`)),
      runtime.blobs.copy(blobKeys.contactSheet(job.id, eventId, rendition.aspectRatio), blobKeys.delivery(job.id, `${name}-storyboard.png`)),
    ]);
    videos.push({ ...rendition, blobKey, uri, posterUri, contactSheetUri });
  }
  const [srtUri, vttUri] = await Promise.all([
    runtime.blobs.copy(blobKeys.subtitles(job.id, eventId, 'srt'), blobKeys.delivery(job.id, `${base}.srt`)),
    runtime.blobs.copy(blobKeys.subtitles(job.id, eventId, 'vtt'), blobKeys.delivery(job.id, `${base}.vtt`)),
  ]);
  return { ...job.outputs, videos, subtitles: { srtUri, vttUri } };
}

/** How many bytes the job's delivery holds: what storing and serving it costs is billed by the byte. */
export async function deliveredBytes(runtime: Runtime, jobId: string): Promise<number> {
  const keys = await runtime.blobs.list(blobKeys.deliveryFolder(jobId));
  const sizes = await Promise.all(keys.map((key) => runtime.blobs.sizeOf(key)));
  return sizes.reduce((sum, size) => sum + size, 0);
}
