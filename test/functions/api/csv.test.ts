import { expect } from 'chai';
import { csvField, csvRow } from '../../../functions/api/csv';

describe('CSV fields', () => {
  it('quotes what needs quoting and doubles quotes', () => {
    expect(csvField('plain')).to.equal('plain');
    expect(csvField('a,b')).to.equal('"a,b"');
    expect(csvField('say "hi"')).to.equal('"say ""hi"""');
    expect(csvField('two\nlines')).to.equal('"two\nlines"');
    expect(csvField(0.25)).to.equal('0.25');
    expect(csvField(null)).to.equal('');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    for (const text of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(csvField(text).replace(/^"/, '').startsWith("'")).to.equal(true);
    expect(csvRow(['a', 1, null])).to.equal('a,1,\r\n');
  });
});
