/** Quieter than this (about -40 dBFS in 16-bit PCM) is the silence a synthesizer pads a line with. */
const SILENCE_AMPLITUDE = 328;
/** Kept on each side of the speech, so no consonant is clipped. */
const MARGIN_SEC = 0.04;

interface WavLayout {
  audioFormat: number;
  bitsPerSample: number;
  blockAlign: number;
  byteRate: number;
  dataOffset: number;
  dataBytes: number;
  /** Where the data chunk's size is written. */
  sizeFieldOffset: number;
}

/** Where a WAV's format fields and sample data are. */
function layoutOf(wav: Buffer): WavLayout {
  if (wav.toString('latin1', 0, 4) !== 'RIFF' || wav.toString('latin1', 8, 12) !== 'WAVE') throw new Error('not a WAV file');
  let format: Pick<WavLayout, 'audioFormat' | 'bitsPerSample' | 'blockAlign' | 'byteRate'> | null = null;
  for (let chunk = 12; chunk + 8 <= wav.length; ) {
    const id = wav.toString('latin1', chunk, chunk + 4);
    const size = wav.readUInt32LE(chunk + 4);
    if (id === 'fmt ') {
      format = { audioFormat: wav.readUInt16LE(chunk + 8), byteRate: wav.readUInt32LE(chunk + 16), blockAlign: wav.readUInt16LE(chunk + 20), bitsPerSample: wav.readUInt16LE(chunk + 22) };
    }
    if (id === 'data') {
      if (format === null) throw new Error('WAV data before its format');
      // A writer that streams leaves the size at its maximum: the data then runs to the end of the file.
      return { ...format, dataOffset: chunk + 8, dataBytes: Math.min(size, wav.length - chunk - 8), sizeFieldOffset: chunk + 4 };
    }
    chunk += 8 + size + (size % 2); // chunks are padded to even sizes
  }
  throw new Error('WAV file has no data chunk');
}

/** Duration of a PCM WAV from its header: data bytes over bytes per second. */
export function wavDurationSec(wav: Buffer): number {
  const { dataBytes, byteRate } = layoutOf(wav);
  return dataBytes / byteRate;
}

/**
 * Cuts the silence a synthesizer leaves before and after a line (keeping a short margin), so the measured length
 * is the speech itself and scene timing is not spent on padding. Returns the trimmed WAV.
 */
export function trimSilence(wav: Buffer): Buffer {
  const { audioFormat, bitsPerSample, dataOffset, dataBytes, blockAlign, byteRate, sizeFieldOffset } = layoutOf(wav);
  if (audioFormat !== 1 || bitsPerSample !== 16) throw new Error('only 16-bit PCM WAV can be trimmed');
  const frames = Math.floor(dataBytes / blockAlign);
  const loud = (frame: number) => {
    for (let byte = 0; byte < blockAlign; byte += 2) if (Math.abs(wav.readInt16LE(dataOffset + frame * blockAlign + byte)) > SILENCE_AMPLITUDE) return true;
    return false;
  };
  let first = 0;
  while (first < frames && !loud(first)) first++;
  if (first === frames) return wav;
  let last = frames - 1;
  while (last > first && !loud(last)) last--;
  const margin = Math.round((MARGIN_SEC * byteRate) / blockAlign);
  const from = Math.max(0, first - margin);
  const to = Math.min(frames, last + 1 + margin);
  const data = wav.subarray(dataOffset + from * blockAlign, dataOffset + to * blockAlign);
  const header = Buffer.from(wav.subarray(0, dataOffset));
  header.writeUInt32LE(data.length, sizeFieldOffset);
  header.writeUInt32LE(header.length - 8 + data.length, 4);
  return Buffer.concat([header, data]);
}

/** A WAV file around raw little-endian PCM (what Gemini speech returns): the 44-byte RIFF header, then the data. */
export function pcmToWav(pcm: Buffer, sampleRate: number, channels = 1, bitsPerSample = 16): Buffer {
  const blockAlign = (channels * bitsPerSample) / 8;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(bitsPerSample, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}
