import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { GeminiVideoJudge } from '../../../../shared/adapters/genai/gemini_video_judge';
import { validBrief } from '../../../support/fixtures';
import { startGenaiKit } from '../../../support/genai_kit';
import { testSession } from '../../../support/provider_session';

const run = promisify(execFile);

describe('GeminiVideoJudge with the real SDK against the fake genai server', () => {
  let kit: Awaited<ReturnType<typeof startGenaiKit>>;
  let dir: string;
  let video: string;
  const questions = [
    { feature: 'product_visuals', question: 'Is the product or its packaging visible?' },
    { feature: 'presence_of_people', question: 'Are people shown?' },
  ];

  before(async () => {
    kit = await startGenaiKit();
    dir = await mkdtemp(path.join(tmpdir(), 'judge-'));
    video = path.join(dir, 'proxy.mp4');
    await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x180:d=2', '-f', 'lavfi', '-i', 'sine=d=2', '-c:v', 'libx264', '-c:a', 'aac', '-shortest', video]);
  });
  afterEach(() => kit.fake.calm());
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await kit.stop();
  });

  it('sends the video inline with the questions as an enum and reads one answer per question', async () => {
    const session = testSession();
    const answers = await new GeminiVideoJudge(kit.gemini(), 'gemini-2.5-flash').judge({ videoPath: video, brief: validBrief(), questions }, session);
    expect(answers.map((answer) => [answer.feature, answer.detected])).to.deep.equal([['product_visuals', true], ['presence_of_people', true]]);
    const body = kit.fake.requests.at(-1)!.body;
    expect(body.contents[0].parts[0].inlineData.mimeType).to.equal('video/mp4');
    expect(body.generationConfig.responseJsonSchema.properties.answers.items.properties.feature.enum).to.deep.equal(['product_visuals', 'presence_of_people']);
    expect(session.ledger).to.have.length(2);
  });

  it('repairs a malformed answer once', async () => {
    kit.fake.script('judge', { kind: 'malformed' });
    const session = testSession();
    const answers = await new GeminiVideoJudge(kit.gemini(), 'gemini-2.5-flash').judge({ videoPath: video, brief: validBrief(), questions }, session);
    expect(answers).to.have.length(2);
    expect(session.events.map((event) => event.kind)).to.deep.equal(['repair']);
  });
});
