import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A stand-in for a generated photo: a soft radial glow in three colours with fine grain, a hard case for shot
 * detection (little texture), rendered by ffmpeg as PNG.
 */
export async function renderKeyframe(outPath: string, width: number, height: number, colours: readonly string[], seed: number): Promise<void> {
  const [c0, c1, c2] = colours;
  await run('ffmpeg', [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `gradients=s=${width}x${height}:c0=${c0}:c1=${c1}:c2=${c2}:nb_colors=3:seed=${seed}:type=radial,format=rgb24`,
    '-f', 'lavfi', '-i', `cellauto=s=${width}x${height}:rule=30:seed=${seed}:scroll=0:full=1,format=rgb24`,
    '-filter_complex', '[1]boxblur=2[t];[0][t]blend=all_mode=softlight:all_opacity=0.6',
    '-frames:v', '1', '-f', 'image2', '-c:v', 'png', outPath,
  ]);
}

/** A stand-in for a generated clip: a drifting glow with moving texture, 24 fps H.264, `seconds` long. */
export async function renderClip(outPath: string, width: number, height: number, seconds: number, colours: readonly string[], seed: number): Promise<void> {
  const [c0, c1, c2] = colours;
  await run('ffmpeg', [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `gradients=s=${width}x${height}:c0=${c0}:c1=${c1}:c2=${c2}:nb_colors=3:seed=${seed}:speed=0.02:r=24`,
    '-f', 'lavfi', '-i', `life=s=${width}x${height}:mold=10:r=24:ratio=0.1:death_color=#000000:life_color=#FFFFFF:seed=${seed}`,
    '-filter_complex', '[0]format=rgb24[g];[1]format=rgb24,boxblur=1[t];[g][t]blend=all_mode=softlight:all_opacity=0.5,format=yuv420p',
    '-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '28', '-f', 'mp4', outPath,
  ]);
}
