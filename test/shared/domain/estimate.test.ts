import { expect } from 'chai';
import { estimateJob, type ProviderModels } from '../../../shared/domain/estimate';
import { planOffline } from '../../../shared/domain/planning/offline_planner';
import { PRESETS } from '../../../shared/schemas/preset';
import { validBrief } from '../../support/fixtures';

const GENAI: ProviderModels = {
  creative: 'gemini-2.5-flash',
  image: 'imagen-4.0-generate-001',
  video: 'veo-3.0-generate-001',
  voice: 'gemini-2.5-flash-preview-tts',
  judge: 'gemini-2.5-flash',
};

describe('estimateJob', () => {
  it('costs an offline job as function time and keeping and serving what it delivers', () => {
    const estimate = estimateJob({ brief: validBrief({ durationSec: 15 }), preset: PRESETS.quick_social, models: {} });
    expect(estimate.lines.map((line) => line.item)).to.deep.equal(['compute.vcpu', 'compute.memory', 'storage.standard', 'network.egress']);
    expect(estimate.totalUsd).to.be.greaterThan(0).and.below(0.01);
  });

  it('sizes the delivery by the ad’s length and formats: storage for a month and one download of the same bytes', () => {
    const one = estimateJob({ brief: validBrief({ durationSec: 30, aspectRatios: ['9:16'] }), preset: PRESETS.quick_social, models: {} });
    const three = estimateJob({ brief: validBrief({ durationSec: 30, aspectRatios: ['9:16', '16:9', '1:1'] }), preset: PRESETS.quick_social, models: {} });
    const units = (estimate: typeof one, item: string) => estimate.lines.find((line) => line.item === item)!.units;
    expect(units(one, 'storage.standard')).to.equal(units(one, 'network.egress'));
    // 30 s at 250 kB/s and 600 kB of stills: about 0.0075 GiB a format.
    expect(units(one, 'storage.standard')).to.be.closeTo(0.0075, 0.001);
    expect(units(three, 'network.egress')).to.be.closeTo(3 * units(one, 'network.egress'), 0.002);
  });

  it('prices a keyframe per scene and format, and the totals add up', () => {
    const brief = validBrief({ durationSec: 15, aspectRatios: ['9:16', '1:1'] });
    const manifest = planOffline(brief);
    const estimate = estimateJob({ brief, preset: PRESETS.quick_social, models: GENAI });
    const keyframes = estimate.lines.filter((line) => line.item === 'imagen-4.0-generate-001/image');
    expect(keyframes).to.have.length(manifest.scenes.length);
    expect(keyframes.every((line) => line.units === 2 && line.costUsd === 0.08)).to.equal(true);
    const sum = estimate.lines.reduce((total, line) => total + line.costUsd, 0);
    expect(estimate.totalUsd).to.be.closeTo(sum, 1e-8);
    for (const what of ['creative direction, prompt', 'voiceover, speech', 'video judge, watching']) expect(estimate.lines.map((l) => l.what)).to.include(what);
  });

  it('prices clips by the seconds Veo makes, one clip serving both the horizontal and the square format', () => {
    const brief = validBrief({ durationSec: 30, aspectRatios: ['16:9', '1:1'], preset: 'premium_spot', keyMessages: ['One', 'Two'] });
    const manifest = planOffline(brief);
    const backends = new Map(manifest.scenes.map((scene) => [scene.index, 'veo' as const]));
    const estimate = estimateJob({ brief, preset: PRESETS.premium_spot, manifest, backends, models: GENAI });
    const clips = estimate.lines.filter((line) => line.item === 'veo-3.0-generate-001/video-second');
    expect(clips).to.have.length(manifest.scenes.length);
    clips.forEach((clip, i) => {
      const scene = manifest.scenes[i];
      expect(clip.units, `scene ${i}: one clip of the shortest length covering ${scene.durationSec} s`).to.equal([4, 6, 8].find((s) => s >= scene.durationSec) ?? 8);
    });
  });

  it('takes the preset preference when no backends are given: a premium spot films, a quick ad does not', () => {
    const brief = validBrief({ durationSec: 30, keyMessages: ['One', 'Two'] });
    const quick = estimateJob({ brief, preset: PRESETS.quick_social, models: GENAI });
    const premium = estimateJob({ brief: { ...brief, preset: 'premium_spot' }, preset: PRESETS.premium_spot, models: GENAI });
    expect(quick.lines.some((line) => line.item.startsWith('veo'))).to.equal(false);
    expect(premium.lines.some((line) => line.item.startsWith('veo'))).to.equal(true);
    expect(premium.totalUsd).to.be.greaterThan(quick.totalUsd);
  });
});
