import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledHeadlineFont } from '../../../../shared/adapters/ffmpeg/bundled_font';

describe('bundledHeadlineFont', () => {
  it("finds Inter in the repository's assets from the sources", () => {
    const font = bundledHeadlineFont();
    expect(font).to.equal(join(__dirname, '..', '..', '..', '..', 'assets', 'fonts', 'Inter-Black.otf'));
    expect(existsSync(font)).to.equal(true);
  });

  it('names the font it misses when there is no assets folder above', () => {
    expect(() => bundledHeadlineFont(tmpdir())).to.throw(/Inter-Black\.otf not found above/);
  });
});
