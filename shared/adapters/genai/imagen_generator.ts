import type { GoogleGenAI } from '@google/genai' with { 'resolution-mode': 'import' };
import { modelPriceItem, type PriceItem } from '../../domain/prices';
import { ProviderOutputError } from '../../domain/resilience/errors';
import type { GeneratedMedia, ImageGenerator, ImageRequest, ProviderContext } from '../../ports/providers';

const IMAGE_TIMEOUT_MS = 60_000;

/** Keyframes from Imagen on Vertex AI (predict), one image per request, billed per image delivered. */
export class ImagenGenerator implements ImageGenerator {
  readonly name: string;
  private readonly price: PriceItem;

  constructor(
    private readonly client: GoogleGenAI,
    private readonly model: string,
  ) {
    this.name = model;
    this.price = modelPriceItem(model, 'image');
  }

  async generate(request: ImageRequest, context: ProviderContext): Promise<GeneratedMedia> {
    const response = await context.call({
      capability: 'image',
      provider: this.model,
      timeoutMs: IMAGE_TIMEOUT_MS,
      run: (abortSignal) =>
        this.client.models.generateImages({
          model: this.model,
          prompt: request.prompt,
          config: { numberOfImages: 1, aspectRatio: request.aspectRatio, outputMimeType: 'image/png', includeRaiReason: true, abortSignal },
        }),
    });
    const generated = response.generatedImages?.[0];
    const bytes = generated?.image?.imageBytes;
    // A filtered prompt is not billed and yields no image.
    if (bytes === undefined) throw new ProviderOutputError(`${this.model} returned no image${generated?.raiFilteredReason ? `: ${generated.raiFilteredReason}` : ''}`);
    context.bill([{ item: this.price, units: 1 }]);
    return { bytes: Buffer.from(bytes, 'base64'), mimeType: generated?.image?.mimeType ?? 'image/png' };
  }
}
