import { expect } from 'chai';
import { creativeSystemPrompt, creativeUserPrompt } from '../../../../shared/domain/planning/creative_prompt';
import { planOffline } from '../../../../shared/domain/planning/offline_planner';
import { ABCD_FEATURE_IDS } from '../../../../shared/domain/qa/abcd';
import { BrandKitSchema } from '../../../../shared/schemas/brand_kit';
import { validBrief } from '../../../support/fixtures';

describe('creative direction prompt', () => {
  const brief = validBrief({ durationSec: 20 });

  it('states every ABCD rule with the brief in it, and the storyboard rules', () => {
    const system = creativeSystemPrompt(brief, null);
    for (const id of ABCD_FEATURE_IDS) expect(system).to.include(`- ${id} (`);
    expect(system).to.include('brand "Lumen Coffee" shown on screen by 5.0 s');
    expect(system).to.include('Scene durations add up to exactly 20 s');
    expect(system).to.include('No brand kit is on file');
  });

  it('carries the brand kit: colours, fonts, logo, tone, banned words and approved storyboards', () => {
    const kit = BrandKitSchema.parse({
      tenant: 't',
      brand: 'Lumen Coffee',
      colors: { primary: '#111111', secondary: '#222222', accent: '#333333' },
      fonts: { headline: 'Inter Black', body: 'Inter SemiBold' },
      logoUri: 'gs://b/logo.png',
      tone: 'dry wit',
      bannedWords: ['cheap', 'sugary'],
      approvedManifests: [{ jobId: 'j1', approvedAt: new Date().toISOString(), manifest: { ...planOffline(brief), title: 'Spring launch' } }],
      updatedAt: new Date().toISOString(),
    });
    const system = creativeSystemPrompt(brief, kit);
    expect(system).to.include('primary #111111').and.include('Inter Black').and.include('logo').and.include('Tone of voice: dry wit');
    expect(system).to.include('cheap, sugary').and.include('- Spring launch: [hook] "Lumen Coffee"');
  });

  it('asks for a revision with the features the review found missing', () => {
    const user = JSON.parse(creativeUserPrompt(brief, { missing: ['quick_pacing'] }));
    expect(user.missingFeatures).to.deep.equal(['quick_pacing']);
    expect(user.brief.brand.name).to.equal('Lumen Coffee');
  });
});
