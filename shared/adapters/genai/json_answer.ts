import type { Content, GoogleGenAI, Part } from '@google/genai' with { 'resolution-mode': 'import' };
import type { Capability } from '../../schemas/providers';
import { modelPriceItem } from '../../domain/prices';
import { ProviderOutputError } from '../../domain/resilience/errors';
import type { ProviderContext } from '../../ports/providers';

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: string[] };

export interface JsonQuestion<T> {
  client: GoogleGenAI;
  model: string;
  capability: Capability;
  timeoutMs: number;
  system: string;
  /** The question's parts (text, and media for the judge). */
  parts: Part[];
  responseJsonSchema: Record<string, unknown>;
  /** Checks the parsed answer; issues go back to the model in the one repair request. */
  check(answer: unknown): Checked<T>;
  /** The repair turn for a list of issues. */
  repair(issues: readonly string[]): string;
}

function checkText<T>(text: string | undefined, question: JsonQuestion<T>): Checked<T> {
  if (text === undefined || text.trim() === '') return { ok: false, issues: ['the answer was empty'] };
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [`the answer is not valid JSON (${(error as Error).message})`] };
  }
  return question.check(answer);
}

/**
 * Asks Gemini for JSON matching a schema (structured output), billing the tokens of every answer. An answer that
 * is not JSON or does not check out gets one repair request with the issues; a second bad answer is a
 * ProviderOutputError, after which the caller falls back.
 */
export async function askForJson<T>(question: JsonQuestion<T>, context: ProviderContext): Promise<T> {
  const input = modelPriceItem(question.model, 'input-token');
  const output = modelPriceItem(question.model, 'output-token');
  const ask = async (contents: Content[]): Promise<string | undefined> => {
    const response = await context.call({
      capability: question.capability,
      provider: question.model,
      timeoutMs: question.timeoutMs,
      run: (abortSignal) =>
        question.client.models.generateContent({
          model: question.model,
          contents,
          config: { systemInstruction: question.system, responseMimeType: 'application/json', responseJsonSchema: question.responseJsonSchema, abortSignal },
        }),
    });
    const usage = response.usageMetadata;
    context.bill([
      { item: input, units: usage?.promptTokenCount ?? 0 },
      // Thinking tokens are billed as output.
      { item: output, units: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0) },
    ]);
    return response.text;
  };
  const first: Content = { role: 'user', parts: question.parts };
  const firstText = await ask([first]);
  const firstCheck = checkText(firstText, question);
  if (firstCheck.ok) return firstCheck.value;
  context.noteRepair(question.capability, question.model, `unusable answer (${firstCheck.issues.slice(0, 3).join('; ')}); asking once for a repair`);
  const secondText = await ask([first, { role: 'model', parts: [{ text: firstText ?? '' }] }, { role: 'user', parts: [{ text: question.repair(firstCheck.issues) }] }]);
  const secondCheck = checkText(secondText, question);
  if (secondCheck.ok) return secondCheck.value;
  throw new ProviderOutputError(`${question.model} answered unusably twice: ${secondCheck.issues.slice(0, 3).join('; ')}`);
}
