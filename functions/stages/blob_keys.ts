import type { AspectRatio } from '../../shared/schemas/brief';

/** Where each job's files live in the blob store. */
export const blobKeys = {
  jobFolder: (jobId: string) => `jobs/${jobId}`,
  storyboard: (jobId: string) => `jobs/${jobId}/storyboard.json`,
  rendersFolder: (jobId: string) => `jobs/${jobId}/renders`,
  // Render files are keyed by the RENDERING event, so a retried step overwrites its own files, never another run's.
  voice: (jobId: string, eventId: string, sceneIndex: number) => `jobs/${jobId}/renders/${eventId}/voice/${sceneIndex}.wav`,
  music: (jobId: string, eventId: string) => `jobs/${jobId}/renders/${eventId}/music.wav`,
  subtitles: (jobId: string, eventId: string, extension: 'srt' | 'vtt') => `jobs/${jobId}/renders/${eventId}/subtitles.${extension}`,
  /** A scene's generated keyframe or clip in one source format. */
  source: (jobId: string, eventId: string, sceneIndex: number, ratio: AspectRatio, extension: 'png' | 'mp4') =>
    `jobs/${jobId}/renders/${eventId}/sources/${sceneIndex}-${ratioSlug(ratio)}.${extension}`,
  /**
   * A keyframe kept for the brand's later ads. Under scratch/, which the bucket's lifecycle empties after 7 days,
   * as the brand memory's TTL forgets the entry pointing here.
   */
  brandCache: (tenant: string, brand: string, key: string) => `scratch/brand-cache/${slugify(tenant)}/${slugify(brand)}/${key}.png`,
  clip: (jobId: string, eventId: string, ratio: AspectRatio, sceneIndex: number) => `jobs/${jobId}/renders/${eventId}/clips/${ratioSlug(ratio)}/${sceneIndex}.mp4`,
  render: (jobId: string, eventId: string, ratio: AspectRatio) => `jobs/${jobId}/renders/${eventId}/${ratioSlug(ratio)}.mp4`,
  voiceTrack: (jobId: string, eventId: string, ratio: AspectRatio) => `jobs/${jobId}/renders/${eventId}/${ratioSlug(ratio)}-voice.wav`,
  poster: (jobId: string, eventId: string, ratio: AspectRatio) => `jobs/${jobId}/renders/${eventId}/${ratioSlug(ratio)}-poster.png`,
  contactSheet: (jobId: string, eventId: string, ratio: AspectRatio) => `jobs/${jobId}/renders/${eventId}/${ratioSlug(ratio)}-storyboard.png`,
  deliveryFolder: (jobId: string) => `jobs/${jobId}/delivery`,
  /** A delivered file: `name` is the brand slug with the format and the file's own suffix. */
  delivery: (jobId: string, name: string) => `jobs/${jobId}/delivery/${name}`,
  receipt: (jobId: string) => `jobs/${jobId}/delivery/receipt.json`,
};

export function ratioSlug(ratio: AspectRatio): string {
  return ratio.replace(':', 'x');
}

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
