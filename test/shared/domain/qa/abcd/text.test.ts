import { expect } from 'chai';
import { findPhrase, mentions, normalisedWords } from '../../../../../shared/domain/qa/abcd/text';

describe('ABCD text matching', () => {
  it('ignores case, punctuation, line breaks and accents', () => {
    expect(mentions('LUMEN\nCOFFEE!', 'Lumen Coffee')).to.equal(true);
    expect(mentions('Visit Café Noël today', 'cafe noel')).to.equal(true);
    expect(mentions('Save 20%!', 'save 20%')).to.equal(true);
  });

  it('matches possessives and hyphenated words', () => {
    expect(mentions("Lumen Coffee's new cans", 'Lumen Coffee')).to.equal(true);
    expect(mentions('Lumen Coffee\u2019s', 'Lumen Coffee')).to.equal(true);
    expect(mentions('Cold-brew', 'cold brew')).to.equal(true);
  });

  it('matches simple plurals only when asked (products, not brand names)', () => {
    const plurals = { plurals: true };
    expect(mentions('Cold-brew cans for you', 'cold brew can', plurals)).to.equal(true);
    expect(mentions('a cold brew can', 'cold brew cans', plurals)).to.equal(true);
    expect(mentions('two glasses', 'glass', plurals)).to.equal(true);
    expect(mentions('fresh berries', 'berry', plurals)).to.equal(true);
    expect(mentions('Lumens of light', 'Lumen', plurals)).to.equal(true);
    expect(mentions('Lumens of light', 'Lumen')).to.equal(false);
  });

  it('matches a brand run together or as a hashtag', () => {
    expect(mentions('#LumenCoffee', 'Lumen Coffee')).to.equal(true);
  });

  it('never matches part of a word or out of order', () => {
    expect(mentions('Illumination', 'lumen')).to.equal(false);
    expect(mentions('coffee lumen', 'Lumen Coffee')).to.equal(false);
    expect(mentions('Grab a can', 'Grab a can today')).to.equal(false);
    expect(mentions('anything', '   ')).to.equal(false);
  });

  it('finds every occurrence with its word position', () => {
    expect(findPhrase(normalisedWords('Lumen Coffee. Grab one. Lumen Coffee.'), normalisedWords('lumen coffee'))).to.deep.equal([
      { start: 0, length: 2 },
      { start: 4, length: 2 },
    ]);
  });
});
