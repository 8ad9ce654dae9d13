/**
 * Request bodies: a write carries JSON or nothing, and no body is larger than API__MAX_BODY_BYTES.
 *
 * `jsonWrites` runs before the routes: a write with another Content-Type gets 415 (the status that
 * says "this kind of body is not taken here", so a client tells it from a bad JSON value), and a
 * body over the limit gets 413 (body-limit.ts: never held past the limit, read to its end and
 * discarded so the client can read the answer). `readJsonBody` is where a route's body enters: it
 * must be a JSON object that the route's zod schema accepts (400 otherwise).
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { ApiError } from './api-error.js';
import { bodyText, readBodyWithin } from './body-limit.js';
import { READ_METHODS } from './same-origin.js';

/** `application/json`, with no parameter but an optional UTF-8 charset. */
function isJson(contentType: string): boolean {
  const [type, ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((p) => p === '' || /^charset="?utf-8"?$/.test(p));
}

/** True when the headers announce a body (a Content-Length above 0, or chunks). */
function announcesBody(headers: Headers): boolean {
  const length = headers.get('content-length');
  return headers.has('transfer-encoding') || (length !== null && length.trim() !== '0');
}

function wrongType(received: string | undefined): ApiError {
  return new ApiError(
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    `a write takes a JSON body with Content-Type: application/json, received ${received === undefined ? 'a body with no Content-Type' : `Content-Type ${JSON.stringify(received)}`}`,
  );
}

/** The middleware: 415 for a write that is not JSON, 413 for any body over `maxBytes`. */
export function jsonWrites(maxBytes: number): MiddlewareHandler {
  return async (c, next) => {
    if (!READ_METHODS.has(c.req.method)) {
      const type = c.req.header('content-type');
      if (type === undefined ? announcesBody(c.req.raw.headers) : !isJson(type))
        throw wrongType(type);
      await readBodyWithin(c, maxBytes);
    }
    await next();
  };
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? 'a string' : `a ${typeof v}`;
}

function valueAt(obj: unknown, path: readonly PropertyKey[]): unknown {
  let v = obj;
  for (const k of path) v = (v as Record<PropertyKey, unknown> | undefined)?.[k];
  return v;
}

/** Fields whose values are secrets: messages never repeat them. */
const SECRET_FIELD = /password|secret|token/i;

function received(v: unknown): string {
  const s = v === undefined ? 'nothing' : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** One line per problem, each naming its field, what it received and what it takes. */
function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  body: unknown,
  fields: readonly string[],
): string {
  return issues
    .map((i) => {
      if (i.code === 'unrecognized_keys')
        return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => JSON.stringify(k)).join(', ')}; the fields are ${fields.join(', ')}`;
      const field = i.path.map(String).join('.');
      // A password, secret or token is never repeated back, not even a wrong or misplaced one.
      const shown = SECRET_FIELD.test(field)
        ? 'a value not shown'
        : received(valueAt(body, i.path));
      return `${field}: ${i.message}, received ${shown}`;
    })
    .join('; ');
}

export interface JsonBodyOptions {
  /** An empty body counts as `{}`; otherwise it is refused. */
  readonly allowEmpty: boolean;
  /** An example body, for the messages. */
  readonly example: string;
}

/**
 * Reads the request's body as a JSON object and validates it with `schema` (a strict object, so a
 * misspelt field is refused rather than ignored); throws a 400 ApiError that names the problem.
 */
export async function readJsonBody<S extends z.ZodObject>(
  c: Context,
  schema: S,
  opts: JsonBodyOptions,
): Promise<z.output<S>> {
  const text = await bodyText(c);
  let body: unknown = {};
  if (text.trim() === '') {
    if (!opts.allowEmpty)
      throw new ApiError(
        400,
        'BODY_REQUIRED',
        `the body is empty; send a JSON object such as ${opts.example}`,
      );
  } else {
    // A body that the headers did not announce (no Content-Type, no Content-Length) is not taken.
    if (c.req.header('content-type') === undefined) throw wrongType(undefined);
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw new ApiError(
        400,
        'INVALID_JSON',
        `the body is not JSON (${(err as Error).message}); send a JSON object such as ${opts.example}`,
      );
    }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError(
      400,
      'BODY_NOT_AN_OBJECT',
      `the body must be a JSON object such as ${opts.example}, received ${kindOf(body)}`,
    );
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ApiError(
      400,
      'INVALID_BODY',
      describeIssues(parsed.error.issues, body, Object.keys(schema.shape)),
    );
  return parsed.data;
}
