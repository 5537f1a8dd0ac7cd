import { readFile, stat } from 'node:fs/promises';
import type { GoogleGenAI } from '@google/genai' with { 'resolution-mode': 'import' };
import { z } from 'zod';
import type { JudgeAnswer } from '../../schemas/providers';
import { ProviderOutputError } from '../../domain/resilience/errors';
import type { JudgeRequest, ProviderContext, VideoJudge } from '../../ports/providers';
import { askForJson, type Checked } from './json_answer';

const JUDGE_TIMEOUT_MS = 120_000;
/** Inline video is limited by the request size (about 20 MB): the stage sends a small proxy, this is the guard. */
const MAX_INLINE_BYTES = 15 * 1024 * 1024;

function answersSchema(features: readonly string[]) {
  const feature = z.enum(features as [string, ...string[]]);
  return z.strictObject({ answers: z.array(z.strictObject({ feature, detected: z.boolean(), evidence: z.string().max(300) })) });
}

const SYSTEM = [
  'You review finished video ads against YouTube\'s ABCD creative guidance (Attract, Brand, Connect, Direct).',
  'Watch the whole video and listen to it. For each question, answer whether the video meets the criterion, with a',
  'short piece of evidence (what is seen or heard, and when). Judge only what is in the video.',
].join(' ');

/** Gemini watching the rendered ad (inline video) and answering the ABCD questions as structured output. */
export class GeminiVideoJudge implements VideoJudge {
  readonly name: string;

  constructor(
    private readonly client: GoogleGenAI,
    private readonly model: string,
  ) {
    this.name = model;
  }

  async judge(request: JudgeRequest, context: ProviderContext): Promise<JudgeAnswer[]> {
    const { size } = await stat(request.videoPath);
    if (size > MAX_INLINE_BYTES) throw new ProviderOutputError(`the judge's proxy is ${size} bytes, over the ${MAX_INLINE_BYTES} inline limit`);
    const features = request.questions.map((question) => question.feature);
    const schema = answersSchema(features);
    const { $schema: _dropped, ...responseJsonSchema } = z.toJSONSchema(schema) as Record<string, unknown>;
    const questions = request.questions.map((question) => `- ${question.feature}: ${question.question}`).join('\n');
    const brief = `The ad is for ${request.brief.brand.name} (product: ${request.brief.product}; call to action: "${request.brief.callToAction}").`;
    return askForJson(
      {
        client: this.client,
        model: this.model,
        capability: 'judge',
        timeoutMs: JUDGE_TIMEOUT_MS,
        system: SYSTEM,
        parts: [
          { inlineData: { mimeType: 'video/mp4', data: (await readFile(request.videoPath)).toString('base64') } },
          { text: `${brief}\nAnswer every question, once each:\n${questions}` },
        ],
        responseJsonSchema,
        check: (answer): Checked<JudgeAnswer[]> => {
          const parsed = schema.safeParse(answer);
          if (!parsed.success) return { ok: false, issues: parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
          const answered = parsed.data.answers.map((entry) => entry.feature);
          const missing = features.filter((feature) => !answered.includes(feature));
          const repeated = answered.filter((feature, i) => answered.indexOf(feature) !== i);
          if (missing.length > 0 || repeated.length > 0) {
            return { ok: false, issues: [...(missing.length ? [`unanswered: ${missing.join(', ')}`] : []), ...(repeated.length ? [`answered twice: ${repeated.join(', ')}`] : [])] };
          }
          return { ok: true, value: parsed.data.answers };
        },
        repair: (issues) => `Those answers cannot be used:\n${issues.map((issue) => `- ${issue}`).join('\n')}\nAnswer every question once, as JSON matching the schema.`,
      },
      context,
    );
  }
}
