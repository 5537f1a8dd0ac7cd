import { expect } from 'chai';
import { chooseBackends } from '../../../shared/domain/backend_choice';
import type { ProviderModels } from '../../../shared/domain/estimate';
import { planOffline } from '../../../shared/domain/planning/offline_planner';
import { PRESETS } from '../../../shared/schemas/preset';
import { validBrief } from '../../support/fixtures';

const GENAI: ProviderModels = { creative: 'gemini-2.5-flash', image: 'imagen-4.0-generate-001', video: 'veo-3.0-generate-001' };

function premium() {
  const brief = validBrief({ durationSec: 30, preset: 'premium_spot', keyMessages: ['Smooth cold brew', 'Twice the caffeine'], proofPoint: 'Loved by commuters' });
  return { brief, preset: PRESETS.premium_spot, manifest: planOffline(brief) };
}

describe('chooseBackends (the financial orchestrator)', () => {
  it('films what a premium spot films when the budget allows, keeping the brand flash and end card still', () => {
    const { scenes, estimate } = chooseBackends({ ...premium(), models: GENAI, remainingUsd: null });
    const backends = scenes.map((scene) => scene.backend);
    expect(backends[0], 'the 2 s brand flash').to.equal('imagen');
    expect(backends.at(-1), 'the end card').to.equal('imagen');
    expect(backends.slice(1, -1).every((backend) => backend === 'veo')).to.equal(true);
    expect(scenes.every((scene) => scene.reason.length > 0)).to.equal(true);
    const sceneTotal = scenes.reduce((sum, scene) => sum + scene.estimateUsd, 0);
    expect(estimate.totalUsd).to.be.greaterThan(sceneTotal);
  });

  it('steps the costliest scenes down (Veo → Imagen → local) until the estimate fits the budget, saying why', () => {
    const unlimited = chooseBackends({ ...premium(), models: GENAI, remainingUsd: null });
    const budget = unlimited.estimate.totalUsd / 2;
    const { scenes, estimate } = chooseBackends({ ...premium(), models: GENAI, remainingUsd: budget });
    expect(estimate.totalUsd).to.be.at.most(budget);
    expect(scenes.some((scene) => scene.backend === 'veo' && unlimited.scenes[scene.sceneIndex].backend === 'veo')).to.equal(true);
    const downgraded = scenes.filter((scene) => scene.backend !== unlimited.scenes[scene.sceneIndex].backend);
    expect(downgraded.length).to.be.greaterThan(0);
    for (const scene of downgraded) expect(scene.reason).to.match(/^budget: the estimate \$\d+\.\d\d is over the \$\d+\.\d\d left; veo → imagen/);
  });

  it('renders everything offline when the budget is spent', () => {
    const { scenes } = chooseBackends({ ...premium(), models: GENAI, remainingUsd: 0 });
    expect(scenes.every((scene) => scene.backend === 'local' && scene.estimateUsd === 0)).to.equal(true);
  });

  it('uses keyframes where there is no video generator, and the offline renderer where there is nothing', () => {
    expect(chooseBackends({ ...premium(), models: { image: 'imagen-4.0-generate-001' }, remainingUsd: null }).scenes.every((s) => s.backend === 'imagen')).to.equal(true);
    const offline = chooseBackends({ ...premium(), models: {}, remainingUsd: null });
    expect(offline.scenes.every((s) => s.backend === 'local')).to.equal(true);
    expect(offline.scenes[1].reason).to.match(/no video generator; no image generator/);
  });
});
