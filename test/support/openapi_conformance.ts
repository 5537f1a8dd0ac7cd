import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { pathMatcher } from '../../functions/api/route';

type Operation = { responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

/**
 * Checks API answers against the served OpenAPI document: the status must be documented for the operation, and
 * a JSON body must validate against the documented schema. Every API test goes through this.
 */
export class OpenApiConformance {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly matchers: Array<{ template: string; match: (path: string) => Record<string, string> | null }>;

  constructor(private readonly document: Document) {
    this.ajv.addSchema({ $id: 'doc', components: document.components });
    this.matchers = Object.keys(document.paths).map((template) => ({ template, match: pathMatcher(template) }));
  }

  /** Throws, naming the mismatch, when the answer is not one the document describes. */
  check(method: string, path: string, status: number, contentType: string | null, body: unknown): void {
    // A CORS preflight is answered by the protocol, not by an operation: refused ones still use the error shape.
    if (method === 'OPTIONS') {
      if (status >= 400) this.validateError(body);
      return;
    }
    const template = this.matchers.find(({ match }) => match(path.split('?')[0]) !== null)?.template;
    if (template === undefined) {
      // Only answers to paths the API has must conform; a 404 for an unknown path is still the error shape.
      if (status === 404 || status === 405) return this.validateError(body);
      throw new Error(`${method} ${path}: no such path in the OpenAPI document`);
    }
    const operation = this.document.paths[template][method.toLowerCase()];
    if (operation === undefined) {
      if (status === 405) return this.validateError(body);
      throw new Error(`${method} ${template}: no such operation in the OpenAPI document`);
    }
    const response = operation.responses[String(status)];
    if (response === undefined) throw new Error(`${method} ${template} answered ${status}, which the OpenAPI document does not list`);
    const json = contentType?.startsWith('application/json') ?? false;
    if (response.content === undefined) {
      if (body !== null && body !== '' && body !== undefined) throw new Error(`${method} ${template} ${status}: a body where the document says none`);
      return;
    }
    const media = Object.keys(response.content).find((type) => contentType?.startsWith(type));
    if (media === undefined) throw new Error(`${method} ${template} ${status}: content type ${contentType} is not documented`);
    if (json && media === 'application/json' && (response.content[media].schema as { type?: string }).type !== 'string') {
      this.validate(`${template} ${method} ${status}`, response.content[media].schema, body);
    }
  }

  private validateError(body: unknown): void {
    this.validate('error', { $ref: 'doc#/components/schemas/Error' }, body);
  }

  private validate(key: string, schema: unknown, body: unknown): void {
    let validate = this.validators.get(key);
    if (validate === undefined) {
      const rebased = JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"doc#/components/'));
      validate = this.ajv.compile(rebased);
      this.validators.set(key, validate);
    }
    if (!validate(body)) throw new Error(`${key}: the body does not conform to the OpenAPI document: ${this.ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
  }
}
