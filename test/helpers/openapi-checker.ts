/**
 * Each response checked against the OpenAPI 3.1 document: its status must be listed, its media
 * type too, and its body must match the schema for both (ajv, JSON Schema 2020-12, with the
 * document's `#/components/schemas/...` references resolved).
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ApiResponse, OpenApiDocument, Operation } from './openapi-client.js';

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** Checks responses against the document: one ajv for the document, schemas compiled once. */
export class ResponseChecker {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private static readonly ID = 'https://alpha-panda.invalid/openapi.json';

  constructor(doc: OpenApiDocument) {
    // OpenAPI's own keywords (`example`, `discriminator`, ...) sit beside the JSON Schema ones.
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ ...doc, $id: ResponseChecker.ID });
  }

  private validator(op: Operation, status: string, media: string): ValidateFunction {
    const pointer = [
      'paths',
      op.path,
      op.method.toLowerCase(),
      'responses',
      status,
      'content',
      media,
      'schema',
    ]
      .map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('/');
    let v = this.compiled.get(pointer);
    if (!v) {
      v = this.ajv.compile({ $ref: `${ResponseChecker.ID}#/${pointer}` });
      this.compiled.set(pointer, v);
    }
    return v;
  }

  /**
   * What is wrong with `res` as an answer of `op` (an undocumented status, media type or a body
   * that does not match its schema), or null when nothing is.
   */
  problem(op: Operation, res: ApiResponse): string | null {
    const status = String(res.status);
    const key = [status, `${status[0]}XX`, 'default'].find((k) => op.responses[k] !== undefined);
    if (key === undefined)
      return `${op.key} answered ${status}, which the document does not list (it lists ${Object.keys(op.responses).join(', ')}); body ${res.text.slice(0, 300)}`;
    const content = op.responses[key]!.content;
    if (content === undefined || Object.keys(content).length === 0) return null;
    const media = Object.keys(content).find((m) => m.toLowerCase() === res.mediaType);
    if (media === undefined)
      return `${op.key} answered ${status} as ${JSON.stringify(res.mediaType)}; the document says ${Object.keys(content).join(', ')}`;
    if (content[media]!.schema === undefined) return null;
    let body: unknown = res.text;
    if (media === 'application/json' || media.endsWith('+json')) {
      try {
        body = JSON.parse(res.text);
      } catch {
        return `${op.key} answered ${status} with a body that is not JSON: ${res.text.slice(0, 300)}`;
      }
    }
    const v = this.validator(op, key, media);
    if (v(body)) return null;
    return `${op.key} answered ${status} with a body that does not match the document's schema: ${this.ajv.errorsText(v.errors)}; body ${res.text.slice(0, 500)}`;
  }
}
