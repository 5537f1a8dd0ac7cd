import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICE_TABLE, SERVICES, STAGE_TABLE, STATES, STEP_TABLE, STEPS } from '../shared/stages';

const README = readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf8');

/** The rows of the markdown table whose header starts with `first`, as arrays of cell texts. */
function table(first: string): string[][] {
  const lines = README.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${first} |`));
  if (start === -1) throw new Error(`README has no table headed "${first}"`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|').slice(1, -1).map((cell) => cell.trim()));
  }
  return rows;
}

function rowsByKey(first: string): Map<string, string[]> {
  return new Map(table(first).map((row) => [row[0], row]));
}

describe('README tables', () => {
  it('list every state with its topic, function and next states, as the stage table has them', () => {
    const rows = rowsByKey('state');
    expect([...rows.keys()]).to.deep.equal([...STATES]);
    for (const state of STATES) {
      const [, topic, functionName, , next] = rows.get(state)!;
      expect({ topic, functionName }, state).to.deep.equal({ topic: STAGE_TABLE[state].topic, functionName: STAGE_TABLE[state].functionName });
      expect(next === '—' ? [] : next.split(', '), state).to.deep.equal([...STAGE_TABLE[state].next]);
    }
  });

  it('list every step with its topic and function', () => {
    const rows = rowsByKey('step');
    expect([...rows.keys()]).to.deep.equal([...STEPS]);
    for (const step of STEPS) expect(rows.get(step)!.slice(1, 4), step).to.deep.equal([STEP_TABLE[step].topic, STEP_TABLE[step].functionName, STEP_TABLE[step].work]);
  });

  it('list every service with its topic, function, schedule and work, as the service table has them', () => {
    const rows = rowsByKey('service');
    expect([...rows.keys()]).to.deep.equal([...SERVICES]);
    for (const name of SERVICES) {
      const spec = SERVICE_TABLE[name];
      const schedule = spec.schedule === undefined ? '—' : `\`${spec.schedule.cron}\` (${spec.schedule.timeZone})`;
      expect(rows.get(name)!.slice(1), name).to.deep.equal([spec.topic, spec.functionName, schedule, spec.work]);
    }
  });
});
