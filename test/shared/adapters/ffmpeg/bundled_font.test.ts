import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledBodyFont, bundledHeadlineFont } from '../../../../shared/adapters/ffmpeg/bundled_font';

describe('bundled fonts', () => {
  const assets = join(__dirname, '..', '..', '..', '..', 'assets', 'fonts');

  it("finds Inter Black for headlines and Inter SemiBold for small text in the repository's assets", () => {
    expect(bundledHeadlineFont()).to.equal(join(assets, 'Inter-Black.otf'));
    expect(bundledBodyFont()).to.equal(join(assets, 'Inter-SemiBold.otf'));
    for (const font of [bundledHeadlineFont(), bundledBodyFont()]) expect(existsSync(font)).to.equal(true);
  });

  it('names the font it misses when there is no assets folder above', () => {
    expect(() => bundledHeadlineFont(tmpdir())).to.throw(/Inter-Black\.otf not found above/);
    expect(() => bundledBodyFont(tmpdir())).to.throw(/Inter-SemiBold\.otf not found above/);
  });
});
