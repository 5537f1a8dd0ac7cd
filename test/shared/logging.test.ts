import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { log, setLogFile, SPAN_FIELD, TRACE_FIELD, traceFields, withLogContext } from '../../shared/logging';

/** The JSON lines `write` logs, read back from a file of their own. */
async function linesOf(write: () => Promise<void> | void): Promise<Record<string, unknown>[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'aiprod-log-'));
  const file = path.join(dir, 'log.jsonl');
  const previous = process.env.AIPROD_LOG_FILE ?? null;
  setLogFile(file);
  try {
    await write();
    return readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  } finally {
    setLogFile(previous);
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('structured logging', () => {
  it('writes one JSON line Cloud Logging reads: severity, message, time and the fields', async () => {
    const [line] = await linesOf(() => log('WARNING', 'slow', { jobId: 'j1', durationMs: 12, costUsd: 0.5 }));
    expect(line).to.include({ severity: 'WARNING', message: 'slow', jobId: 'j1', durationMs: 12, costUsd: 0.5 });
    expect(Number.isNaN(Date.parse(String(line.time))), 'time is a date').to.equal(false);
  });

  it('adds the fields of the invocation to every line logged inside it, through awaits', async () => {
    const lines = await linesOf(() =>
      withLogContext({ jobId: 'j2', stage: 'RENDERING' }, async () => {
        log('INFO', 'before');
        await new Promise((resolve) => setTimeout(resolve, 5));
        await withLogContext({ step: 'scene' }, async () => log('INFO', 'inner', { durationMs: 3 }));
        log('INFO', 'after', { stage: 'QA_TECH', eventId: undefined });
      }),
    );
    expect(lines.map((line) => [line.message, line.jobId, line.stage, line.step ?? null])).to.deep.equal([
      ['before', 'j2', 'RENDERING', null],
      ['inner', 'j2', 'RENDERING', 'scene'],
      ['after', 'j2', 'QA_TECH', null],
    ]);
  });

  it('keeps the fields of invocations running at the same time apart', async () => {
    const lines = await linesOf(() =>
      Promise.all(
        ['a', 'b'].map((jobId, index) =>
          withLogContext({ jobId }, async () => {
            await new Promise((resolve) => setTimeout(resolve, 10 - index * 5));
            log('INFO', `done ${jobId}`);
          }),
        ),
      ).then(() => undefined),
    );
    expect(lines.map((line) => `${line.message}:${line.jobId}`)).to.have.members(['done a:a', 'done b:b']);
    expect((await linesOf(() => log('INFO', 'outside'))).at(0)).not.to.have.property('jobId');
  });

  it('names the trace as Cloud Logging links it: projects/<project>/traces/<id>, with the span', () => {
    const fields = traceFields('p1', { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), sampled: true });
    expect(fields).to.deep.equal({ [TRACE_FIELD]: `projects/p1/traces/${'a'.repeat(32)}`, [SPAN_FIELD]: 'b'.repeat(16), 'logging.googleapis.com/trace_sampled': true });
    expect(traceFields('p1', null)).to.deep.equal({});
  });
});
