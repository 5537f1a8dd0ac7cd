import { expect } from 'chai';
import { trimSilence, wavDurationSec } from '../../../../shared/adapters/local/wav';

/** A 16-bit mono WAV: `silenceSec` of zeros, `toneSec` of a 440 Hz tone, then `silenceSec` of zeros again. */
function wav(silenceSec: number, toneSec: number, rate = 16000): Buffer {
  const samples = [
    ...new Array<number>(Math.round(silenceSec * rate)).fill(0),
    ...Array.from({ length: Math.round(toneSec * rate) }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate))),
    ...new Array<number>(Math.round(silenceSec * rate)).fill(0),
  ];
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((sample, i) => data.writeInt16LE(sample, i * 2));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

describe('trimSilence', () => {
  it('cuts the padding around a line down to a short margin', () => {
    const trimmed = trimSilence(wav(0.4, 1));
    expect(wavDurationSec(trimmed)).to.be.closeTo(1.08, 0.01);
    expect(trimmed.readUInt32LE(4)).to.equal(trimmed.length - 8);
  });

  it('leaves an all-silent file as it is', () => {
    const silent = wav(0.5, 0);
    expect(trimSilence(silent)).to.equal(silent);
  });

  it('refuses what is not 16-bit PCM WAV', () => {
    expect(() => trimSilence(Buffer.from('not a wav file at all, really'))).to.throw('not a WAV file');
  });
});
