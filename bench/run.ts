// `npm run bench`: speed figures measured in one run on this machine, printed as ratios against their limits.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setLogFile } from '../shared/logging';
import { startLocalPlatform } from '../local/local_platform';
import { benchApiSubmit } from './api_bench';
import { benchBrokerFloor } from './broker_floor';
import { benchEndToEnd, benchHops } from './pipeline_bench';
import { benchRender } from './render_bench';
import { benchWebhooks } from './webhook_bench';
import { locateFfmpeg } from '../shared/adapters/ffmpeg/ffmpeg_binaries';

async function main(): Promise<void> {
  process.env.METADATA_SERVER_DETECTION = 'none';
  const workDir = mkdtempSync(path.join(tmpdir(), 'aiprod-bench-'));
  setLogFile(path.join(workDir, 'functions.log'));
  await benchApiSubmit(50, 15);
  await benchApiSubmit(50, 15, true);
  const platform = await startLocalPlatform({ workDir });
  try {
    const example = (name: string): unknown => JSON.parse(readFileSync(path.resolve(__dirname, '../examples', name), 'utf8'));
    await benchBrokerFloor(platform.projectId, 40);
    await benchWebhooks(platform, 30);
    await benchHops(platform, example('saas-15s.json'), 6);
    await benchEndToEnd(platform, example('coffee-30s.json'), 'examples/coffee-30s.json (9:16)');
    const { ffmpeg } = await locateFfmpeg();
    await benchRender(platform.runtime, ffmpeg, example('coffee-30s.json'), path.join(workDir, 'render'));
  } finally {
    await platform.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`bench: ${error.message}`);
    process.exit(1);
  },
);
