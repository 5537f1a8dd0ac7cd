import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FFMPEG_INSTALL_HINT, locateFfmpeg } from '../../../../shared/adapters/ffmpeg/ffmpeg_binaries';
import { rejectionOf } from '../../../support/rejection';

describe('locateFfmpeg', function () {
  this.timeout(30_000);

  it('finds ffmpeg and ffprobe on PATH when no paths are configured', async () => {
    expect(await locateFfmpeg({})).to.deep.equal({ ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' });
  });

  it('uses FFMPEG_PATH and FFPROBE_PATH when set', async () => {
    const env = { FFMPEG_PATH: '/usr/bin/ffmpeg', FFPROBE_PATH: '/usr/bin/ffprobe' };
    expect(await locateFfmpeg(env)).to.deep.equal({ ffmpeg: '/usr/bin/ffmpeg', ffprobe: '/usr/bin/ffprobe' });
  });

  it('fails with an install hint when FFMPEG_PATH points at nothing', async () => {
    const error = await rejectionOf(locateFfmpeg({ FFMPEG_PATH: '/nonexistent/bin/ffmpeg' }));
    expect(error.message).to.include('/nonexistent/bin/ffmpeg');
    expect(error.message).to.include(FFMPEG_INSTALL_HINT);
    expect(error.message).to.include('apt-get install -y ffmpeg');
  });

  it('fails with the hint when FFPROBE_PATH is not a program that runs', async () => {
    const error = await rejectionOf(locateFfmpeg({ FFPROBE_PATH: __filename }));
    expect(error.message).to.include('FFMPEG_PATH/FFPROBE_PATH');
  });

  it('names the filters an ffmpeg lacks, at start-up', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'old-ffmpeg-'));
    try {
      // An ffmpeg that runs but whose filter list has none of the newer filters, like old static builds.
      const fake = path.join(dir, 'ffmpeg');
      writeFileSync(fake, '#!/bin/sh\nif [ "$1" = "-version" ]; then echo "ffmpeg version 3.4"; exit 0; fi\necho " ... scale V->V Scale the input video."\n', { mode: 0o755 });
      const error = await rejectionOf(locateFfmpeg({ FFMPEG_PATH: fake }));
      expect(error.message).to.include('lacks the filters gradients, drawtext');
      expect(error.message).not.to.match(/lacks the filters[^;]*\bscale\b/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
