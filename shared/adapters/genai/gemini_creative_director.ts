import type { GoogleGenAI } from '@google/genai' with { 'resolution-mode': 'import' };
import { withKitDefaults } from '../../schemas/brand_kit';
import type { Manifest } from '../../schemas/manifest';
import { checkDraft, manifestResponseSchema } from '../../domain/planning/manifest_check';
import { creativeSystemPrompt, creativeUserPrompt, repairPrompt } from '../../domain/planning/creative_prompt';
import type { CreativeDirector, CreativeRequest, ProviderContext } from '../../ports/providers';
import { askForJson } from './json_answer';

/** How long one storyboard answer may take (a thinking model writing a few kilobytes of JSON). */
const CREATIVE_TIMEOUT_MS = 60_000;

/**
 * Creative direction on Gemini with structured output: the response schema is the manifest schema, the system
 * prompt carries the brief, the brand kit and the ABCD rules; the answer is checked against the brief and repaired
 * once when it does not hold.
 */
export class GeminiCreativeDirector implements CreativeDirector {
  readonly name: string;

  constructor(
    private readonly client: GoogleGenAI,
    private readonly model: string,
  ) {
    this.name = model;
  }

  direct(request: CreativeRequest, context: ProviderContext): Promise<Manifest> {
    const brief = withKitDefaults(request.brief, request.kit);
    return askForJson(
      {
        client: this.client,
        model: this.model,
        capability: 'creative',
        timeoutMs: CREATIVE_TIMEOUT_MS,
        system: creativeSystemPrompt(brief, request.kit),
        parts: [{ text: creativeUserPrompt(brief, request.revision) }],
        responseJsonSchema: manifestResponseSchema(),
        check: (answer) => {
          const draft = checkDraft(answer, request.brief, request.kit, this.model);
          return draft.ok ? { ok: true, value: draft.manifest } : draft;
        },
        repair: repairPrompt,
      },
      context,
    );
  }
}
