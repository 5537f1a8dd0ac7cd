import { expect } from 'chai';
import { costOf, ledgerEntry, modelPriceItem, PRICES, UnpricedItemError } from '../../../shared/domain/prices';

describe('price table', () => {
  it('cites a source URL and a date for every price', () => {
    for (const [item, price] of Object.entries(PRICES)) {
      expect(price.asOf, item).to.match(/^\d{4}-\d{2}-\d{2}$/);
      if (!item.startsWith('voice.')) expect(price.source, item).to.match(/^https:\/\//);
    }
  });

  it('prices the default models of every generative capability', () => {
    expect(PRICES[modelPriceItem('gemini-2.5-flash', 'input-token')].usd).to.be.closeTo(0.3e-6, 1e-12);
    expect(PRICES[modelPriceItem('gemini-2.5-flash', 'output-token')].usd).to.be.closeTo(2.5e-6, 1e-12);
    expect(PRICES[modelPriceItem('imagen-4.0-generate-001', 'image')].usd).to.equal(0.04);
    expect(PRICES[modelPriceItem('veo-3.0-generate-001', 'video-second')].unit).to.equal('second of video');
    expect(PRICES[modelPriceItem('gemini-2.5-flash-preview-tts', 'output-token')].usd).to.be.greaterThan(0);
  });

  it('refuses a model the table has no price for', () => {
    expect(() => modelPriceItem('gemini-9-ultra', 'input-token')).to.throw(UnpricedItemError, /gemini-9-ultra\/input-token/);
  });

  it('bills units at the unit price, rounded to 1e-8 USD', () => {
    const entry = ledgerEntry('INPUT_SANITIZED', modelPriceItem('gemini-2.5-flash', 'output-token'), 1234, 'ev');
    expect(entry).to.include({ units: 1234, unit: 'token', costUsd: 0.003085 });
    expect(costOf('imagen-4.0-generate-001/image', 3)).to.equal(0.12);
  });
});
