import type { Brief } from '../schemas/brief';
import type { Manifest, Scene } from '../schemas/manifest';
import type { Preset } from '../schemas/preset';
import type { EstimateLine, JobEstimate, SceneBackend } from '../schemas/providers';
import { normalisedWords } from './qa/abcd/text';
import { PLANNED_WORDS_PER_SEC } from './qa/abcd/evidence';
import { ABCD_FEATURE_IDS } from './qa/abcd/features';
import { planOffline } from './planning/offline_planner';
import { preferredBackends } from './planning/backend_policy';
import { sourceRatios, videoClipSeconds } from './planning/sources';
import { BYTES_PER_GIB, costOf, modelPriceItem, PRICES, roundUsd, type PriceItem } from './prices';

/** The model behind each capability that uses a provider; a capability left out stays offline (no charge). */
export interface ProviderModels {
  creative?: string;
  image?: string;
  video?: string;
  voice?: string;
  judge?: string;
}

export interface EstimateInput {
  brief: Brief;
  preset: Preset;
  /** The storyboard when there is one; otherwise the offline plan of the brief stands in for it. */
  manifest?: Manifest;
  /** The backend of each scene by index (scenes not listed render offline); without it, what the preset prefers. */
  backends?: ReadonlyMap<number, SceneBackend>;
  models: ProviderModels;
}

// What a call is expected to use. These are planning figures, not measurements: the ledger records what each call
// really used, and the job keeps the difference.
/** The creative-direction prompt (instructions, ABCD rules, brand kit, schema) before the brief, in tokens. */
const CREATIVE_PROMPT_TOKENS = 3000;
/** A manifest scene as JSON, in output tokens (the model's thinking included). */
const CREATIVE_TOKENS_PER_SCENE = 400;
/** English text, characters per token. */
const CHARS_PER_TOKEN = 4;
/** Gemini bills generated audio at 25 tokens per second. */
const AUDIO_TOKENS_PER_SEC = 25;
/** Video input at the default resolution: 258 tokens per frame sampled at 1 fps, plus 32 per second of audio. */
const VIDEO_INPUT_TOKENS_PER_SEC = 290;
const JUDGE_PROMPT_TOKENS = 1500;
const JUDGE_TOKENS_PER_ANSWER = 60;
/** Function time per second of ad per format (voice, scene renders, assembly, both QA passes), in vCPU-seconds. */
const COMPUTE_VCPU_SEC_PER_AD_SEC = 3;
/** The steps that render run with 2 GiB per vCPU. */
const COMPUTE_GIB_PER_VCPU = 2;
/** Start-up and bookkeeping of the stages that do not render, in vCPU-seconds. */
const COMPUTE_FIXED_VCPU_SEC = 20;
/**
 * A delivered MP4, bytes per second of ad (measured: 156 kB/s for the offline render of examples/coffee-30s.json;
 * generated pictures compress less, so the plan allows more), and a format's poster and storyboard sheet.
 */
const VIDEO_BYTES_PER_SEC = 250_000;
const STILLS_BYTES_PER_FORMAT = 600_000;

function line(what: string, item: PriceItem, units: number): EstimateLine {
  const rounded = Math.round(units * 1000) / 1000;
  return { what, item, units: rounded, unit: PRICES[item].unit, unitPriceUsd: PRICES[item].usd, costUsd: costOf(item, rounded) };
}

function tokensOf(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function spokenSec(scene: Scene): number {
  return normalisedWords(scene.voiceover).length / PLANNED_WORDS_PER_SEC;
}

/** The estimated lines of one scene's pictures on `backend`. */
export function sceneLines(scene: Scene, backend: SceneBackend, manifest: Manifest, models: ProviderModels): EstimateLine[] {
  const sources = sourceRatios(backend, manifest.aspectRatios);
  if (backend === 'imagen' && models.image !== undefined) {
    return [line(`scene ${scene.index} keyframes (${sources.join(', ')})`, modelPriceItem(models.image, 'image'), sources.length)];
  }
  if (backend === 'veo' && models.video !== undefined) {
    const seconds = videoClipSeconds(scene.durationSec);
    return [line(`scene ${scene.index} clips (${sources.join(', ')}, ${seconds} s each)`, modelPriceItem(models.video, 'video-second'), seconds * sources.length)];
  }
  return [];
}

function creativeLines(brief: Brief, manifest: Manifest, model: string): EstimateLine[] {
  const input = CREATIVE_PROMPT_TOKENS + tokensOf(JSON.stringify(brief));
  const output = CREATIVE_TOKENS_PER_SCENE * manifest.scenes.length;
  return [
    line('creative direction, prompt', modelPriceItem(model, 'input-token'), input),
    line('creative direction, storyboard', modelPriceItem(model, 'output-token'), output),
  ];
}

function voiceLines(manifest: Manifest, model: string): EstimateLine[] {
  const text = manifest.scenes.reduce((sum, scene) => sum + tokensOf(scene.voiceover), 0);
  const seconds = manifest.scenes.reduce((sum, scene) => sum + spokenSec(scene), 0);
  return [
    line('voiceover, text', modelPriceItem(model, 'input-token'), text),
    line('voiceover, speech', modelPriceItem(model, 'output-token'), seconds * AUDIO_TOKENS_PER_SEC),
  ];
}

function judgeLines(manifest: Manifest, model: string): EstimateLine[] {
  const formats = manifest.aspectRatios.length;
  return [
    line('video judge, watching', modelPriceItem(model, 'input-token'), formats * (JUDGE_PROMPT_TOKENS + manifest.durationSec * VIDEO_INPUT_TOKENS_PER_SEC)),
    line('video judge, answers', modelPriceItem(model, 'output-token'), formats * ABCD_FEATURE_IDS.length * JUDGE_TOKENS_PER_ANSWER),
  ];
}

function computeLines(manifest: Manifest): EstimateLine[] {
  const vcpuSec = COMPUTE_FIXED_VCPU_SEC + COMPUTE_VCPU_SEC_PER_AD_SEC * manifest.durationSec * manifest.aspectRatios.length;
  return [line('functions, CPU', 'compute.vcpu', vcpuSec), line('functions, memory', 'compute.memory', vcpuSec * COMPUTE_GIB_PER_VCPU)];
}

/** Keeping the delivered files for the month they are delivered in, and one download of them. */
function deliveryLines(manifest: Manifest): EstimateLine[] {
  const bytes = manifest.aspectRatios.length * (manifest.durationSec * VIDEO_BYTES_PER_SEC + STILLS_BYTES_PER_FORMAT);
  const gib = bytes / BYTES_PER_GIB;
  return [line('delivered files, storage for a month', 'storage.standard', gib), line('delivered files, one download', 'network.egress', gib)];
}

/**
 * What a job will cost, line by line, from the price table: creative direction, each scene's pictures on its
 * backend, the voice, the video judge, the functions' time, and storing and serving the delivered files. Works before any storyboard exists (the offline plan
 * of the brief stands in for it), so the same estimate can be quoted, reserved and compared with the ledger.
 */
export function estimateJob(input: EstimateInput): JobEstimate {
  const manifest = input.manifest ?? planOffline(input.brief);
  const { models } = input;
  const backends = input.backends ?? preferredBackends(manifest, input.preset.name, { image: models.image !== undefined, video: models.video !== undefined });
  const lines: EstimateLine[] = [
    ...(models.creative === undefined ? [] : creativeLines(input.brief, manifest, models.creative)),
    ...manifest.scenes.flatMap((scene) => sceneLines(scene, backends.get(scene.index) ?? 'local', manifest, models)),
    ...(models.voice === undefined ? [] : voiceLines(manifest, models.voice)),
    ...(models.judge === undefined ? [] : judgeLines(manifest, models.judge)),
    ...computeLines(manifest),
    ...deliveryLines(manifest),
  ];
  return { lines, totalUsd: roundUsd(lines.reduce((sum, entry) => sum + entry.costUsd, 0)) };
}
