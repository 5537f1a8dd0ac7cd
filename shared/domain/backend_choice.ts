import type { Brief } from '../schemas/brief';
import type { Manifest } from '../schemas/manifest';
import type { Preset } from '../schemas/preset';
import type { JobEstimate, SceneBackend, SceneBackendChoice } from '../schemas/providers';
import { estimateJob, sceneLines, type ProviderModels } from './estimate';
import { preferredBackend } from './planning/backend_policy';
import { roundUsd } from './prices';

export interface BackendChoiceInput {
  brief: Brief;
  preset: Preset;
  /** The storyboard as it will be rendered (timed to the voice). */
  manifest: Manifest;
  models: ProviderModels;
  /** What the tenant may still spend, or null for no limit. */
  remainingUsd: number | null;
}

export interface BackendChoice {
  scenes: SceneBackendChoice[];
  estimate: JobEstimate;
}

/** One step cheaper. */
const DOWNGRADE: Readonly<Record<SceneBackend, SceneBackend | null>> = { veo: 'imagen', imagen: 'local', local: null };

function usd(value: number): string {
  return `$${value.toFixed(2)}`;
}

/**
 * The financial orchestrator: each scene gets the backend its preset prefers (a generated clip, a generated
 * keyframe in motion, or the offline renderer); while the job's estimate exceeds what the tenant has left, the
 * costliest scene steps down one backend (Veo → Imagen → local), until it fits or everything is local.
 */
export function chooseBackends(input: BackendChoiceInput): BackendChoice {
  const { manifest, models } = input;
  const available = { image: models.image !== undefined, video: models.video !== undefined };
  const chosen = new Map<number, { backend: SceneBackend; reason: string }>(
    manifest.scenes.map((scene) => [scene.index, preferredBackend(scene, input.preset.name, available)]),
  );
  const sceneCost = (index: number, backend: SceneBackend) =>
    roundUsd(sceneLines(manifest.scenes[index], backend, manifest, models).reduce((sum, line) => sum + line.costUsd, 0));
  const estimate = () => estimateJob({ brief: input.brief, preset: input.preset, manifest, models, backends: new Map([...chosen].map(([i, c]) => [i, c.backend])) });

  let current = estimate();
  while (input.remainingUsd !== null && current.totalUsd > input.remainingUsd) {
    const costliest = [...chosen]
      .filter(([, choice]) => DOWNGRADE[choice.backend] !== null)
      .sort(([a, x], [b, y]) => sceneCost(b, y.backend) - sceneCost(a, x.backend) || b - a)[0];
    if (costliest === undefined) break;
    const [index, choice] = costliest;
    const lower = DOWNGRADE[choice.backend]!;
    chosen.set(index, { backend: lower, reason: `budget: the estimate ${usd(current.totalUsd)} is over the ${usd(input.remainingUsd)} left; ${choice.backend} → ${lower}` });
    current = estimate();
  }
  const scenes = manifest.scenes.map((scene) => {
    const choice = chosen.get(scene.index)!;
    return { sceneIndex: scene.index, backend: choice.backend, estimateUsd: sceneCost(scene.index, choice.backend), reason: choice.reason };
  });
  return { scenes, estimate: current };
}
