/**
 * The API's routes are declared once, with zod: the same schemas validate path and query
 * parameters and make the OpenAPI 3.1 document (GET /openapi.json). JSON bodies are validated by
 * `readJsonBody` (strict objects, messages that name the field); the document gets their JSON
 * Schema, made from the same zod schema.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { z as zod } from 'zod';
import { didYouMean } from '../config/index.js';
import { ApiError } from './api-error.js';

export { z };
export type Router = OpenAPIHono;

function received(v: unknown): string {
  const s = v === undefined ? 'nothing' : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** A router whose parameter errors are 400s naming each parameter, what it received and needs. */
export function router(): OpenAPIHono {
  return new OpenAPIHono({
    defaultHook: (result) => {
      if (result.success) return;
      const where = result.target === 'param' ? 'path parameter' : 'query parameter';
      const data = (result as { data?: unknown }).data as Record<string, unknown> | undefined;
      const message = result.error.issues
        .map((i) => {
          if (i.code === 'unrecognized_keys') return i.message;
          const name = i.path.map(String).join('.');
          return `${where} ${name}: ${i.message}, received ${received(data?.[name])}`;
        })
        .join('; ');
      throw new ApiError(400, 'INVALID_PARAMETER', message);
    },
  });
}

/**
 * The query parameters of a route: a strict object whose unknown parameter is refused naming the
 * nearest valid one (and listing them all).
 */
export function query<T extends zod.ZodRawShape>(shape: T) {
  const names = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `unknown query parameter ${iss.keys.map((k) => JSON.stringify(k)).join(', ')}${didYouMean(iss.keys[0] ?? '', names)} (the parameters are ${names.join(', ')})`
        : undefined,
  });
}

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'STRATEGY_NOT_FOUND' }),
      message: z.string(),
    }),
  })
  .openapi('Error');

const STATUS_TEXT: Record<number, string> = {
  400: 'The request is invalid: the message names the field',
  401: 'No token, or a bad or expired one',
  403: 'The token lacks the operator role, or the write came from another origin',
  404: 'No such resource',
  409: 'The resource cannot do that now',
  413: 'The body is too large',
  415: 'The body is not JSON',
  422: 'The change cannot be applied',
  429: 'Too many requests from this client: see Retry-After',
  502: 'An upstream service answered with an error',
  503: 'Not ready, or a dependency is down',
};

/** The error responses of a route, as the document lists them. */
export function errors(...codes: number[]) {
  return Object.fromEntries(
    [...new Set([...codes, 429])].map((c) => [
      c,
      {
        description: STATUS_TEXT[c] ?? 'Error',
        content: { 'application/json': { schema: ErrorBody } },
      },
    ]),
  );
}

/** A JSON response of `schema`. */
export function json<S extends zod.ZodType>(schema: S, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/**
 * A JSON request body for the document: the JSON Schema of `schema` (not validated on the way
 * in: the handler's readJsonBody does that, with its own messages).
 */
export function jsonBody(schema: zod.ZodType, description: string, required: boolean) {
  const { $schema: _, ...jsonSchema } = (
    z as unknown as { toJSONSchema: (s: unknown, o?: unknown) => Record<string, unknown> }
  ).toJSONSchema(schema, { io: 'input' });
  return {
    description,
    required,
    content: { 'application/json': { schema: jsonSchema as never } },
  };
}

export const Money = z
  .object({
    rupees: z.string().openapi({ example: '1234.50' }),
    paise: z.number().int(),
  })
  .openapi('Money');
