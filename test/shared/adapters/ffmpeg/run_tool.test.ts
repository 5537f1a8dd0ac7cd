import { expect } from 'chai';
import { runTool } from '../../../../shared/adapters/ffmpeg/run_tool';
import { rejectionOf } from '../../../support/rejection';

describe('runTool', function () {
  this.timeout(30_000);

  it('resolves with the output of a program run without a shell', async () => {
    const { stdout } = await runTool(process.execPath, ['-e', 'process.stdout.write(process.argv[1])', '$HOME; `x`']);
    expect(stdout).to.equal('$HOME; `x`');
  });

  it('rejects naming the tool, the exit code and only the last 20 lines of stderr', async () => {
    const script = 'for (let i = 1; i <= 50; i++) console.error("line " + i); process.exit(3)';
    const error = await rejectionOf(runTool(process.execPath, ['-e', script]));
    expect(error.message).to.match(/^node failed with exit code 3:/);
    expect(error.message).to.include('line 31\n');
    expect(error.message).to.include('line 50');
    expect(error.message).not.to.include('line 30\n');
  });

  it('rejects saying the tool was not found', async () => {
    const error = await rejectionOf(runTool('/nonexistent/tool', []));
    expect(error.message).to.equal('tool not found (/nonexistent/tool)');
  });

  it('runs in the given working directory', async () => {
    const { stdout } = await runTool(process.execPath, ['-e', 'process.stdout.write(process.cwd())'], { cwd: '/' });
    expect(stdout).to.equal('/');
  });
});
