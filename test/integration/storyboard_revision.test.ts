import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { followJob } from '../../local/follow_job';
import { publishState } from '../../functions/pipeline/publish_state';
import { validateBrief } from '../../shared/domain/brief_validation';
import { newJob } from '../../shared/domain/new_job';
import { planOffline } from '../../shared/domain/planning/offline_planner';
import { applyTransition } from '../../shared/domain/transitions';
import { PRESETS } from '../../shared/schemas/preset';
import { shortBrief } from '../support/fixtures';
import { testPlatform } from '../support/root_hooks';

describe('plan-time ABCD check', () => {
  it('sends a storyboard edited to drop every brand mention back to creative direction before any render, naming what is missing', async () => {
    const platform = await testPlatform();
    const validation = validateBrief(shortBrief({ durationSec: 10, preset: 'brand_campaign', approval: false }));
    if (!validation.ok) throw new Error('fixture invalid');
    const brief = validation.brief;
    const scrub = (text: string) => text.replaceAll('Lumen Coffee', 'our brand');
    const planned = planOffline(brief);
    const edited = { ...planned, scenes: planned.scenes.map((s) => ({ ...s, onScreenText: scrub(s.onScreenText), voiceover: scrub(s.voiceover) })) };
    const submitted = newJob({ id: `job_${randomUUID().replace(/-/g, '')}`, tenant: platform.tenant, brief, createdBy: null }, new Date());
    const sanitized = applyTransition({ ...submitted, preset: { ...PRESETS.brand_campaign, approval: false } }, { to: 'INPUT_SANITIZED', reason: 'test', causeEventId: submitted.stateEventId }, new Date()).job;
    const directed = applyTransition({ ...sanitized, manifest: edited }, { to: 'CREATIVE_DIRECTION', reason: 'edited by hand', causeEventId: sanitized.stateEventId }, new Date()).job;
    await platform.runtime.jobs.create(directed);
    await publishState(platform.runtime.events, directed);

    const job = await followJob(platform.runtime.jobs, directed.id, () => undefined);
    expect(job.state, job.error?.reason).to.equal('DELIVERED');
    const [rejected, accepted] = job.storyboardReviews;
    expect(rejected.passed).to.equal(false);
    expect(rejected.score).to.be.below(0.8);
    expect(rejected.missing).to.include.members(['brand_visuals', 'brand_mention_speech', 'brand_visuals_first_5s', 'brand_mention_speech_first_5s']);
    expect(accepted.passed).to.equal(true);
    const sentBack = job.stateHistory.find((entry) => entry.from === 'CREATIVE_DIRECTION' && entry.to === 'INPUT_SANITIZED');
    expect(sentBack?.reason).to.match(/below the bar 0\.8.*missing .*brand_mention_speech/);
    const firstRender = job.stateHistory.findIndex((entry) => entry.to === 'RENDERING');
    expect(job.stateHistory.indexOf(sentBack!)).to.be.lessThan(firstRender);
    expect(job.manifest?.scenes[0].onScreenText).to.contain('Lumen Coffee');
  });
});
