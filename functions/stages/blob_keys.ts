import type { AspectRatio } from '../../shared/schemas/brief';

/** Where each job's files live in the blob store. */
export const blobKeys = {
  jobFolder: (jobId: string) => `jobs/${jobId}`,
  storyboard: (jobId: string) => `jobs/${jobId}/storyboard.json`,
  rendersFolder: (jobId: string) => `jobs/${jobId}/renders`,
  /** Keyed by the RENDERING event, so a retried render overwrites its own files and never another run's. */
  render: (jobId: string, eventId: string, ratio: AspectRatio) => `jobs/${jobId}/renders/${eventId}/${ratio.replace(':', 'x')}.mp4`,
  deliveryFolder: (jobId: string) => `jobs/${jobId}/delivery`,
  delivery: (jobId: string, slug: string, ratio: AspectRatio) => `jobs/${jobId}/delivery/${slug}-${ratio.replace(':', 'x')}.mp4`,
  receipt: (jobId: string) => `jobs/${jobId}/delivery/receipt.json`,
};

/** A file-name-safe form of a brand or title. */
export function slugify(text: string): string {
  return (
    text
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'ad'
  );
}
