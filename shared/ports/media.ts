import type { AspectRatio } from '../schemas/brief';
import type { Manifest } from '../schemas/manifest';

/** A spoken line on disk. */
export interface VoiceClip {
  path: string;
  durationSec: number;
}

/** A line that cannot be spoken within its scene at any rate the voice allows: no retry will fit it. */
export class SpeechTooLongError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpeechTooLongError';
  }
}

/** Turns text into speech. */
export interface VoiceSynthesizer {
  readonly name: string;
  /** Writes a WAV file of `text` spoken no longer than `maxDurationSec`; throws SpeechTooLongError otherwise. */
  synthesize(text: string, outPath: string, maxDurationSec: number): Promise<VoiceClip>;
}

export interface RenderRequest {
  manifest: Manifest;
  aspectRatio: AspectRatio;
  /** One voice clip per scene, in scene order. */
  voice: VoiceClip[];
  outPath: string;
  workDir: string;
}

/** Turns a manifest and its voice clips into an MP4. */
export interface VideoRenderer {
  render(request: RenderRequest): Promise<void>;
}

export interface MediaInfo {
  durationSec: number;
  sizeBytes: number;
  bitRate: number;
  formatName: string;
  video: { codec: string; profile: string; width: number; height: number; fps: number; pixFmt: string } | null;
  audio: { codec: string; sampleRate: number; channels: number } | null;
}

/** Reads a media file's technical properties. */
export interface MediaProber {
  probe(path: string): Promise<MediaInfo>;
}
