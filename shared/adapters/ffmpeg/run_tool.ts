import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** ffmpeg is chatty on stderr; the tail is where the reason for a failure is. */
const STDERR_TAIL_LINES = 20;
/** ffmpeg's -version banner and a verbose failure both fit well inside this. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export interface ToolOutput {
  stdout: string;
  stderr: string;
}

export interface RunToolOptions {
  cwd?: string;
}

interface ExecFailure {
  code?: number | string;
  signal?: NodeJS.Signals | null;
  stderr?: string;
  message: string;
}

/**
 * Runs an external program without a shell (arguments are never parsed by one) and resolves with its
 * output; rejects with an Error naming the tool, its exit code and the last lines of its stderr.
 */
export async function runTool(bin: string, args: readonly string[], options: RunToolOptions = {}): Promise<ToolOutput> {
  try {
    const { stdout, stderr } = await execFileAsync(bin, args, {
      cwd: options.cwd,
      encoding: 'utf8',
      maxBuffer: MAX_OUTPUT_BYTES,
    });
    return { stdout, stderr };
  } catch (error) {
    throw toolError(bin, error as ExecFailure);
  }
}

function toolError(bin: string, failure: ExecFailure): Error {
  const tool = basename(bin);
  if (failure.code === 'ENOENT') {
    return new Error(`${tool} not found (${bin})`, { cause: failure });
  }
  const exit = typeof failure.code === 'number' ? `exit code ${failure.code}` : `signal ${failure.signal ?? 'unknown'}`;
  const tail = (failure.stderr ?? '').trimEnd().split('\n').slice(-STDERR_TAIL_LINES).join('\n');
  return new Error(`${tool} failed with ${exit}${tail ? `:\n${tail}` : ` (${failure.message})`}`, { cause: failure });
}
