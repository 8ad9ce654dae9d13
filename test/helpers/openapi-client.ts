/**
 * A client for the API as its OpenAPI 3.1 document describes it: the document's operations, and
 * requests sent over HTTP (server-sent event streams read for their first bytes only).
 */
export type JsonSchema = Record<string, unknown>;

export interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, unknown>>;
  readonly components?: Record<string, Record<string, unknown>>;
  readonly security?: readonly Record<string, readonly string[]>[];
}

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required: boolean;
  readonly schema: JsonSchema;
}

export interface DocumentedResponse {
  readonly description?: string;
  readonly content?: Record<string, { schema?: JsonSchema }>;
}

export interface Operation {
  /** `GET /api/v1/strategies/{id}`: the key of the test tables. */
  readonly key: string;
  /** Upper case. */
  readonly method: string;
  /** The templated path, `{name}` for each path parameter. */
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly body?: { readonly required: boolean; readonly schema: JsonSchema };
  readonly responses: Record<string, DocumentedResponse>;
  /** Needs no token (`security: []`). */
  readonly isPublic: boolean;
  /** Answers 200 with a server-sent event stream. */
  readonly streams: boolean;
  /** A GET or HEAD: the API's reads. */
  readonly isRead: boolean;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** The local `$ref` target of `node` in `doc`, followed until it is not a reference. */
export function deref<T>(doc: OpenApiDocument, node: unknown): T {
  let n = node as { $ref?: string } | undefined;
  for (let hops = 0; n && typeof n.$ref === 'string'; hops++) {
    if (hops > 20 || !n.$ref.startsWith('#/')) throw new Error(`cannot follow $ref ${n.$ref}`);
    n = n.$ref
      .slice(2)
      .split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], doc) as
      { $ref?: string } | undefined;
  }
  return n as T;
}

/** Every operation of the document, in its order. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const shared = ((item as { parameters?: unknown[] }).parameters ?? []).map((p) =>
      deref<Parameter>(doc, p),
    );
    for (const method of METHODS) {
      const op = item[method] as
        | {
            parameters?: unknown[];
            requestBody?: unknown;
            responses?: Record<string, unknown>;
            security?: readonly Record<string, readonly string[]>[];
          }
        | undefined;
      if (!op) continue;
      const own = (op.parameters ?? []).map((p) => deref<Parameter>(doc, p));
      const parameters = [
        ...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)),
        ...own,
      ].map((p) => ({ ...p, required: p.in === 'path' ? true : p.required === true }));
      const rb = op.requestBody
        ? deref<{ required?: boolean; content?: Record<string, { schema?: JsonSchema }> }>(
            doc,
            op.requestBody,
          )
        : undefined;
      const responses = Object.fromEntries(
        Object.entries(op.responses ?? {}).map(([s, r]) => [s, deref<DocumentedResponse>(doc, r)]),
      );
      const security = op.security ?? doc.security ?? [];
      out.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters,
        ...(rb
          ? {
              body: {
                required: rb.required === true,
                schema: rb.content?.['application/json']?.schema ?? {},
              },
            }
          : {}),
        responses,
        isPublic: security.length === 0 || security.some((s) => Object.keys(s).length === 0),
        streams: Object.keys(responses['200']?.content ?? {}).includes('text/event-stream'),
        isRead: method === 'get' || method === 'head',
      });
    }
  }
  return out;
}

/** Fetches `base`/openapi.json. */
export async function loadDocument(base: string): Promise<OpenApiDocument> {
  const res = await fetch(`${base}/openapi.json`);
  if (res.status !== 200) throw new Error(`GET /openapi.json: ${res.status} ${await res.text()}`);
  const doc = (await res.json()) as OpenApiDocument;
  if (!String(doc.openapi).startsWith('3.1'))
    throw new Error(`GET /openapi.json is OpenAPI ${doc.openapi}, not 3.1`);
  return doc;
}

export interface ApiRequest {
  readonly method: string;
  /** The concrete path: parameters filled in and encoded. */
  readonly path: string;
  /** Query pairs in order; a key may repeat. */
  readonly query?: readonly (readonly [string, string])[];
  readonly headers?: Readonly<Record<string, string>>;
  /** The body's text, sent as it is (Content-Type application/json unless headers say else). */
  readonly body?: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The media type without parameters, lower case; '' when none. */
  readonly mediaType: string;
  /** The body's text; for an event stream, its first bytes only. */
  readonly text: string;
}

/** `s` percent-encoded; a lone surrogate (which cannot be encoded) becomes U+FFFD first. */
function encode(s: string): string {
  return encodeURIComponent((s as string & { toWellFormed(): string }).toWellFormed());
}

/** `path` with each `{name}` replaced by `params[name]`, percent-encoded. */
export function fillPath(path: string, params: Readonly<Record<string, string>>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`no value for path parameter ${name} of ${path}`);
    return encode(v);
  });
}

function urlOf(base: string, req: ApiRequest): string {
  const q = (req.query ?? []).map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
  return `${base}${req.path}${q === '' ? '' : `?${q}`}`;
}

/**
 * Sends `req` to the API at `base`. A `text/event-stream` answer is read until its first bytes
 * arrive, then the connection is closed.
 */
export async function send(base: string, req: ApiRequest): Promise<ApiResponse> {
  const abort = new AbortController();
  const headers: Record<string, string> = { ...req.headers };
  if (
    req.body !== undefined &&
    !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')
  )
    headers['content-type'] = 'application/json';
  const res = await fetch(urlOf(base, req), {
    method: req.method,
    headers,
    ...(req.body !== undefined ? { body: req.body } : {}),
    signal: abort.signal,
    redirect: 'manual',
  });
  const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  let text: string;
  if (mediaType === 'text/event-stream' && res.body) {
    const reader = res.body.getReader();
    const first = await reader.read();
    text = first.value ? new TextDecoder().decode(first.value) : '';
    abort.abort();
    await reader.cancel().catch(() => undefined);
  } else {
    text = await res.text();
  }
  return { status: res.status, headers: res.headers, mediaType, text };
}
