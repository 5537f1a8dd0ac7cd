import { expect } from 'chai';
import { validateBrief } from '../../../shared/domain/brief_validation';
import { shortBrief } from '../../support/fixtures';

function fieldsOf(input: unknown): string[] {
  const result = validateBrief(input);
  return result.ok ? [] : result.issues.map((issue) => issue.field);
}

describe('brief validation', () => {
  it('accepts a valid brief and applies defaults', () => {
    const { preset, ...withoutPreset } = shortBrief();
    expect(preset).to.equal('quick_social');
    const result = validateBrief(withoutPreset);
    expect(result.ok).to.equal(true);
    if (result.ok) expect(result.brief.preset).to.equal('quick_social');
  });

  it('normalises white space and unicode', () => {
    const result = validateBrief(shortBrief({ product: '  cold\u00a0\u00a0brew\n cans ', audience: 'Cafe\u0301 lovers' }));
    expect(result.ok).to.equal(true);
    if (result.ok) {
      expect(result.brief.product).to.equal('cold brew cans');
      expect(result.brief.audience).to.equal('Café lovers');
    }
  });

  it('names a missing brand', () => {
    const { brand: _brand, ...noBrand } = shortBrief();
    expect(fieldsOf(noBrand)).to.deep.equal(['brand']);
    expect(fieldsOf(shortBrief({ brand: { name: '   ' } }))).to.deep.equal(['brand.name']);
  });

  it('names durations out of range', () => {
    expect(fieldsOf(shortBrief({ durationSec: 0 }))).to.deep.equal(['durationSec']);
    expect(fieldsOf(shortBrief({ durationSec: 10000 }))).to.deep.equal(['durationSec']);
    expect(fieldsOf(shortBrief({ durationSec: 7.5 }))).to.deep.equal(['durationSec']);
  });

  it('refuses a duration longer than the preset allows', () => {
    const result = validateBrief(shortBrief({ durationSec: 60 }));
    expect(result.ok).to.equal(false);
    if (!result.ok) expect(result.issues[0].message).to.contain('quick_social');
    expect(validateBrief(shortBrief({ durationSec: 60, preset: 'brand_campaign' })).ok).to.equal(true);
  });

  it('names oversized text', () => {
    expect(fieldsOf(shortBrief({ product: 'x'.repeat(1024 * 1024) }))).to.deep.equal(['product']);
  });

  it('names wrong types and unknown fields', () => {
    expect(fieldsOf({ ...shortBrief(), durationSec: '30' })).to.deep.equal(['durationSec']);
    expect(fieldsOf({ ...shortBrief(), keyMessages: 'one' })).to.deep.equal(['keyMessages']);
    expect(fieldsOf({ ...shortBrief(), budget: 10 })).to.deep.equal(['budget']);
    expect(fieldsOf(shortBrief({ brand: { name: 'X', logo: 'y' } as never }))).to.deep.equal(['brand.logo']);
  });

  it('refuses control characters, duplicate key messages and repeated aspect ratios', () => {
    expect(fieldsOf(shortBrief({ product: 'cold\u0000brew' }))).to.deep.equal(['product']);
    expect(fieldsOf(shortBrief({ keyMessages: ['Smooth', 'smooth'] }))).to.deep.equal(['keyMessages[1]']);
    expect(fieldsOf(shortBrief({ aspectRatios: ['9:16', '9:16'] }))).to.deep.equal(['aspectRatios']);
  });
});
