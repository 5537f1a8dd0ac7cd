import { expect } from 'chai';
import { clipCovers, sourceRatioOf, sourceRatios, videoClipSeconds } from '../../../../shared/domain/planning/sources';

describe('scene sources', () => {
  it('asks for the shortest clip covering the scene, the longest (slowed down) past it, up to 1.4 ×', () => {
    expect(videoClipSeconds(2.2)).to.equal(4);
    expect(videoClipSeconds(4)).to.equal(4);
    expect(videoClipSeconds(6.5)).to.equal(8);
    expect(videoClipSeconds(10.6)).to.equal(8);
    expect(clipCovers(11.2)).to.equal(true);
    expect(clipCovers(11.3)).to.equal(false);
  });

  it('generates keyframes per format, but crops a square from the horizontal clip', () => {
    expect(sourceRatios('imagen', ['9:16', '16:9', '1:1'])).to.deep.equal(['9:16', '16:9', '1:1']);
    expect(sourceRatios('veo', ['9:16', '16:9', '1:1'])).to.deep.equal(['9:16', '16:9']);
    expect(sourceRatioOf('veo', '1:1', ['9:16', '1:1'])).to.equal('9:16');
    expect(sourceRatioOf('veo', '1:1', ['1:1'])).to.equal('16:9');
    expect(sourceRatios('local', ['9:16'])).to.deep.equal([]);
  });
});
