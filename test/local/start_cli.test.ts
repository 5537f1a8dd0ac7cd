import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { shortBrief } from '../support/fixtures';

const ROOT = path.resolve(__dirname, '../..');

/** The emulator processes the CLI recorded as its own that are still running. */
function survivingEmulators(workDir: string): string[] {
  const started = JSON.parse(readFileSync(path.join(workDir, 'emulators.json'), 'utf8')) as Array<{ kind: string; pid: number }>;
  expect(started.map((emulator) => emulator.kind)).to.have.members(['firestore', 'pubsub', 'auth']);
  return started
    .filter(({ pid }) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    })
    .map(({ kind, pid }) => `${kind} ${pid}`);
}

function startCli(args: string[], workDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, AIPROD_WORK_DIR: workDir, METADATA_SERVER_DETECTION: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('npm start', () => {
  let workDir: string;
  beforeEach(() => (workDir = mkdtempSync(path.join(tmpdir(), 'aiprod-cli-'))));
  afterEach(() => rmSync(workDir, { recursive: true, force: true }));

  it('runs a brief to a delivered MP4, printing each state change and the file as its last line, then stops everything', async () => {
    const briefPath = path.join(workDir, 'brief.json');
    writeFileSync(briefPath, JSON.stringify(shortBrief({ durationSec: 6 })));
    const cli = startCli([briefPath], workDir);
    const code = await cli.exited;
    const { stdout, stderr } = cli.output();
    expect(code, stderr).to.equal(0);
    const lines = stdout.trim().split('\n');
    for (const state of ['SUBMITTED', 'INPUT_SANITIZED', 'CREATIVE_DIRECTION', 'RENDERING', 'QA_TECH', 'QA_SEMANTIC', 'DELIVERED']) {
      expect(stdout).to.match(new RegExp(`→ ${state}\\b`));
    }
    const last = lines[lines.length - 1];
    expect(last).to.match(/\.mp4$/);
    expect(existsSync(last)).to.equal(true);
    expect(survivingEmulators(workDir)).to.deep.equal([]);
  });

  it('explains a refused brief and exits non-zero', async () => {
    const briefPath = path.join(workDir, 'brief.json');
    writeFileSync(briefPath, JSON.stringify(shortBrief({ durationSec: 0 })));
    const cli = startCli([briefPath], workDir);
    expect(await cli.exited).to.equal(1);
    expect(cli.output().stderr).to.contain('durationSec');
  });

  it('stops the emulators and servers on Ctrl-C', async () => {
    const cli = startCli([], workDir);
    while (!cli.output().stdout.includes('stop with Ctrl-C')) {
      if (cli.child.exitCode !== null) throw new Error(cli.output().stderr);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    cli.child.kill('SIGINT');
    expect(await cli.exited).to.equal(130);
    expect(survivingEmulators(workDir)).to.deep.equal([]);
  });
});
