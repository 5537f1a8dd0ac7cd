import path from 'node:path';
import { JobFailure } from '../../shared/domain/errors';
import { lineRoom, retimeToVoice } from '../../shared/domain/planning/retime';
import { cuesForLine } from '../../shared/domain/subtitles';
import type { Manifest } from '../../shared/schemas/manifest';
import { SpeechTooLongError, type SubtitleCue, type VoiceClip, type VoiceSynthesizer } from '../../shared/ports/media';

export interface SpokenManifest {
  /** The storyboard re-timed to the measured voice. */
  manifest: Manifest;
  /** Each scene's voice clip and where it starts on the ad's timeline. */
  lines: Array<VoiceClip & { sceneIndex: number; startSec: number }>;
  subtitles: SubtitleCue[];
}

async function speak(voice: VoiceSynthesizer, line: string, outPath: string, maxSec: number, sceneIndex: number): Promise<VoiceClip> {
  try {
    return await voice.synthesize(line, outPath, maxSec);
  } catch (error) {
    if (error instanceof SpeechTooLongError) throw new JobFailure(`scene ${sceneIndex}: ${error.message}`);
    throw error;
  }
}

/**
 * Speaks every scene's line at the voice's natural pace; when the lines (with the room around each) do not fit
 * the ordered duration, speaks them again faster, in proportion. Then times the scenes to the measured lines and
 * writes the subtitle cues from the same timing. Lines no rate can fit fail the job.
 */
export async function speakAndTime(voice: VoiceSynthesizer, planned: Manifest, workDir: string): Promise<SpokenManifest> {
  const { leadInSec, tailSec } = lineRoom(planned.durationSec);
  const room = leadInSec + tailSec;
  const outPath = (index: number) => path.join(workDir, `voice-${index}.wav`);
  let clips: VoiceClip[] = [];
  for (const scene of planned.scenes) clips.push(await speak(voice, scene.voiceover, outPath(scene.index), planned.durationSec, scene.index));
  const spokenSec = clips.reduce((sum, clip) => sum + clip.durationSec, 0);
  const availableSec = planned.durationSec - room * planned.scenes.length;
  if (spokenSec > availableSec) {
    const squeeze = availableSec / spokenSec;
    const faster: VoiceClip[] = [];
    for (const scene of planned.scenes) faster.push(await speak(voice, scene.voiceover, outPath(scene.index), clips[scene.index].durationSec * squeeze, scene.index));
    clips = faster;
  }
  const manifest = retimeToVoice(planned, clips.map((clip) => clip.durationSec));
  const lines = manifest.scenes.map((scene, i) => ({ ...clips[i], sceneIndex: scene.index, startSec: scene.startSec + leadInSec }));
  const subtitles = manifest.scenes.flatMap((scene, i) => cuesForLine(scene.voiceover, lines[i].startSec, lines[i].durationSec));
  return { manifest, lines, subtitles };
}
