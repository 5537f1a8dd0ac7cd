import { expect } from 'chai';
import { validateBrief } from '../../../shared/domain/brief_validation';
import { applyManifestEdit, ManifestEditRequestSchema } from '../../../shared/domain/manifest_edit';
import { planOffline } from '../../../shared/domain/planning/offline_planner';
import { shortBrief } from '../../support/fixtures';

function planned(durationSec = 10) {
  const validation = validateBrief(shortBrief({ durationSec }));
  if (!validation.ok) throw new Error('fixture invalid');
  return planOffline(validation.brief);
}

describe('storyboard edits', () => {
  it('applies text edits and lists each change with its old and new value', () => {
    const manifest = planned();
    const result = applyManifestEdit(manifest, { title: 'New title', scenes: [{ index: 1, voiceover: 'Smooth and cold.' }] });
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(result.manifest.title).to.equal('New title');
    expect(result.manifest.scenes[1].voiceover).to.equal('Smooth and cold.');
    expect(result.manifest.scenes[1].startSec).to.equal(manifest.scenes[1].startSec);
    expect(result.changes).to.deep.equal([
      { path: 'title', from: manifest.title, to: 'New title' },
      { path: 'scenes[1].voiceover', from: manifest.scenes[1].voiceover, to: 'Smooth and cold.' },
    ]);
    expect(manifest.scenes[1].voiceover).not.to.equal('Smooth and cold.');
  });

  it('lists no change for values that are already so', () => {
    const manifest = planned();
    const result = applyManifestEdit(manifest, { title: manifest.title, scenes: [{ index: 0, onScreenText: manifest.scenes[0].onScreenText }] });
    expect(result.ok && result.changes).to.deep.equal([]);
  });

  it('refuses a scene that does not exist and a script too long to say in the ad', () => {
    const manifest = planned(6);
    const missing = applyManifestEdit(manifest, { scenes: [{ index: 42, onScreenText: 'x' }] });
    expect(missing.ok).to.equal(false);
    if (!missing.ok) expect(missing.issues[0]).to.deep.equal({ field: 'scenes[0].index', message: `no scene 42 (the storyboard has ${manifest.scenes.length})` });
    const long = applyManifestEdit(manifest, { scenes: [{ index: 0, voiceover: Array(40).fill('word').join(' ') }] });
    expect(long.ok).to.equal(false);
    if (!long.ok) expect(long.issues[0].message).to.match(/a 6 s ad can say at most \d+/);
  });

  it('names locked fields as locked, and refuses unknown ones', () => {
    const parsed = ManifestEditRequestSchema.safeParse({ brandName: 'X', scenes: [{ index: 0, role: 'proof' }], extra: 1 });
    expect(parsed.success).to.equal(false);
    const messages = parsed.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(messages).to.include('brandName: locked: the brand name cannot be edited');
    expect(messages).to.include("scenes.0.role: locked: a scene's role cannot be edited");
    expect(parsed.error!.issues.some((issue) => issue.code === 'unrecognized_keys')).to.equal(true);
  });

  it('keeps line breaks in on-screen text and refuses other control characters', () => {
    expect(ManifestEditRequestSchema.safeParse({ scenes: [{ index: 0, onScreenText: 'Two\nlines' }] }).success).to.equal(true);
    expect(ManifestEditRequestSchema.safeParse({ scenes: [{ index: 0, onScreenText: 'Tab\there' }] }).success).to.equal(false);
    expect(ManifestEditRequestSchema.safeParse({ scenes: [{ index: 0, voiceover: 'No\nbreaks in speech' }] }).success).to.equal(false);
  });
});
