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

/** One subtitle cue on the ad's timeline. */
export interface SubtitleCue {
  startSec: number;
  endSec: number;
  text: string;
}

export interface SceneClipRequest {
  manifest: Manifest;
  sceneIndex: number;
  aspectRatio: AspectRatio;
  /** Cues spoken during this scene, on the ad's timeline (the renderer offsets them by the scene's start). */
  subtitles: SubtitleCue[];
  /** Offsets from the scene's start where the background cuts to its next look (see planning/beats.ts). */
  beatsSec: number[];
  /**
   * A generated keyframe or clip to show behind the supers; without it the scene is drawn from its palette. A clip
   * shorter than the scene is slowed down (up to 1.4 ×), then held on its last frame.
   */
  background?: { kind: 'image' | 'video'; path: string; durationSec?: number };
  outPath: string;
  workDir: string;
}

/** Renders one scene of one format as a video-only H.264 clip of exactly the scene's frames. */
export interface SceneRenderer {
  renderScene(request: SceneClipRequest): Promise<void>;
}

export interface AssemblyRequest {
  /** Scene clips of one format, in scene order, all encoded alike (joined without re-encoding). */
  clips: string[];
  /** Each scene's voice clip and where it starts on the ad's timeline. */
  voice: Array<{ path: string; startSec: number }>;
  /** A music bed at least `durationSec` long, ducked under the voice. */
  musicPath: string;
  durationSec: number;
  outPath: string;
  /** Where the assembler also writes the voice-only track (WAV), which QA listens to for speech and silence. */
  voiceTrackPath: string;
  workDir: string;
}

export interface AssemblyResult {
  integratedLufs: number;
  truePeakDbtp: number;
}

/** Joins scene clips and mixes voice and music, loudness-normalised, into the delivered MP4. */
export interface AdAssembler {
  assemble(request: AssemblyRequest): Promise<AssemblyResult>;
}

/** Writes a music bed (WAV) of a given length; the same seed gives the same music. */
export interface MusicComposer {
  compose(durationSec: number, seed: string, outPath: string): Promise<void>;
}

export interface TimeSpan {
  startSec: number;
  endSec: number;
}

/** What one decoding pass over a delivered file (and its voice track) measures. */
export interface MediaAnalysis {
  integratedLufs: number;
  truePeakDbtp: number;
  blackSpans: TimeSpan[];
  freezeSpans: TimeSpan[];
  /** Silences in the voice track (the full mix never goes silent under its music bed). */
  voiceSilenceSpans: TimeSpan[];
  /** When speech first starts in the voice track, or null when there is none. */
  speechOnsetSec: number | null;
  /** Times of detected shot changes in the video. */
  shotChangesSec: number[];
}

export interface MediaAnalyzer {
  analyze(videoPath: string, voiceTrackPath: string): Promise<MediaAnalysis>;
}

export interface ContactSheetFrame {
  atSec: number;
  label: string;
}

/** Stills from a rendered file: a poster frame and a storyboard contact sheet. */
export interface StillRenderer {
  poster(videoPath: string, atSec: number, outPath: string): Promise<void>;
  contactSheet(videoPath: string, frames: ContactSheetFrame[], outPath: string): Promise<void>;
}

/** A small copy of a rendered ad (low resolution and frame rate, mono audio) for a reviewer that watches it. */
export interface ReviewProxyMaker {
  makeProxy(videoPath: string, outPath: string): Promise<void>;
}
