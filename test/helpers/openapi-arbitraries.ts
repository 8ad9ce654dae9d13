/**
 * fast-check arbitraries for requests to the operations of an OpenAPI document: values drawn from
 * each parameter's and body's schema, mixed with hostile ones (wrong types, huge and odd strings,
 * path traversal, negative and huge numbers, extra and missing fields, repeated query keys,
 * malformed JSON, wrong content types, no token or a bad one).
 */
import fc from 'fast-check';
import {
  hostileHeaderValue,
  hostileJson,
  hostileNumber,
  hostileString,
  MALFORMED_JSON,
} from './hostile-values.js';
import {
  deref,
  fillPath,
  type ApiRequest,
  type JsonSchema,
  type OpenApiDocument,
  type Operation,
} from './openapi-client.js';
import { valueOf, type KnownValues } from './schema-values.js';

export type { KnownValues } from './schema-values.js';

/** A JSON body's text for `schema`: valid, or broken one way or another. */
function bodyText(
  doc: OpenApiDocument,
  schema: JsonSchema,
  known: KnownValues,
): fc.Arbitrary<string | undefined> {
  const valid = valueOf(doc, schema, 0, known);
  const asObject = valid.map((v) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {},
  );
  const required = (deref<JsonSchema>(doc, schema).required ?? []) as string[];
  return fc.oneof(
    { arbitrary: valid.map((v) => JSON.stringify(v)), weight: 4 },
    // An extra field.
    {
      arbitrary: fc
        .tuple(asObject, hostileString, hostileJson)
        .map(([o, k, v]) => JSON.stringify({ ...o, [k || 'extra']: v })),
      weight: 1,
    },
    // A field of the wrong type, or a hostile value.
    {
      arbitrary: fc.tuple(asObject, fc.nat(), hostileJson).map(([o, i, v]) => {
        const keys = Object.keys(o);
        return JSON.stringify(keys.length === 0 ? o : { ...o, [keys[i % keys.length]!]: v });
      }),
      weight: 2,
    },
    // A required field missing.
    {
      arbitrary: fc.tuple(asObject, fc.nat()).map(([o, i]) => {
        const { [required[i % Math.max(required.length, 1)] ?? '']: _, ...rest } = o;
        return JSON.stringify(rest);
      }),
      weight: 1,
    },
    // Not an object at all.
    { arbitrary: hostileJson.map((v) => JSON.stringify(v)), weight: 1 },
    // Not JSON, or JSON that parsers disagree on.
    {
      arbitrary: fc.constantFrom(...MALFORMED_JSON),
      weight: 2,
    },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
}

/** `a` one time in `n`, else null. */
function sometimes<T>(a: fc.Arbitrary<T>, n: number): fc.Arbitrary<T | null> {
  return fc.oneof({ arbitrary: fc.constant(null), weight: n - 1 }, { arbitrary: a, weight: 1 });
}

export interface FuzzAuth {
  readonly operator: Readonly<Record<string, string>>;
  readonly viewer: Readonly<Record<string, string>>;
}

function paramValue(
  doc: OpenApiDocument,
  schema: JsonSchema,
  known: readonly string[] | undefined,
): fc.Arbitrary<string> {
  const fromSchema = valueOf(doc, schema).map((v) =>
    typeof v === 'string' ? v : JSON.stringify(v),
  );
  return fc.oneof(
    { arbitrary: fromSchema, weight: 2 },
    { arbitrary: hostileString, weight: 2 },
    { arbitrary: hostileNumber.map(String), weight: 1 },
    ...(known && known.length > 0 ? [{ arbitrary: fc.constantFrom(...known), weight: 3 }] : []),
  );
}

/**
 * Requests to `op`: parameters from their schemas or hostile, the body (for writes) valid or
 * broken, mostly with the operator's token, sometimes with none, a bad one or a viewer's.
 */
export function requestOf(
  doc: OpenApiDocument,
  op: Operation,
  auth: FuzzAuth,
  known: KnownValues = {},
): fc.Arbitrary<ApiRequest> {
  const byIn = (where: string) => op.parameters.filter((p) => p.in === where);
  // '.' and '..' are path segments a URL resolves away: they address another route.
  const segment = (a: fc.Arbitrary<string>) => a.filter((v) => v !== '' && v !== '.' && v !== '..');
  const path = fc.record(
    Object.fromEntries(
      byIn('path').map((p) => [p.name, segment(paramValue(doc, p.schema, known[p.name]))]),
    ),
  );
  const query = fc
    .tuple(
      fc.tuple(
        ...byIn('query').map((p) =>
          fc.option(
            paramValue(doc, p.schema, known[p.name]).map((v): [string, string] => [p.name, v]),
          ),
        ),
      ),
      // Now and then an unknown parameter, or a repeated one.
      sometimes(fc.tuple(hostileString, hostileString), 5),
      sometimes(fc.constant(true), 5),
    )
    .map(([declared, extra, repeat]) => {
      const pairs = declared.filter((x): x is [string, string] => x !== null);
      if (repeat && pairs.length > 0) pairs.push(pairs[0]!);
      if (extra) pairs.push(extra);
      return pairs;
    });
  const headers = fc.tuple(
    fc.tuple(
      ...byIn('header').map((p) =>
        fc.option(
          fc
            .oneof(
              hostileHeaderValue,
              fc.nat().map(String),
              fc.constant('99999999999999'),
              fc.constantFrom(...(known[p.name] ?? ['0'])),
            )
            .map((v): [string, string] => [p.name, v]),
        ),
      ),
    ),
    sometimes(hostileHeaderValue, 3),
  );
  const token = fc.oneof(
    { arbitrary: fc.constant(auth.operator), weight: 7 },
    { arbitrary: fc.constant({}), weight: 1 },
    { arbitrary: fc.constant(auth.viewer), weight: 1 },
    {
      arbitrary: fc.constantFrom(
        { Authorization: 'Bearer ' },
        { Authorization: 'Bearer a.b.c' },
        { Authorization: `Bearer ${'A'.repeat(5_000)}` },
        { Authorization: 'bearer' },
        { Authorization: `${auth.operator.Authorization ?? ''}x` },
      ),
      weight: 1,
    },
  );
  const write = !op.isRead;
  const body = write
    ? bodyText(doc, op.body?.schema ?? { type: 'object' }, known)
    : fc.constant(undefined);
  const contentType = fc.oneof(
    { arbitrary: fc.constant('application/json'), weight: 8 },
    {
      arbitrary: fc.constantFrom(
        'text/plain',
        'application/json; charset=latin1',
        'application/x-www-form-urlencoded',
        'application/json; charset=utf-8',
      ),
      weight: 2,
    },
  );
  return fc
    .record({ path, query, headers, token, body, contentType })
    .map(({ path: p, query: q, headers: [hs, requestId], token: t, body: b, contentType: ct }) => ({
      method: op.method,
      path: fillPath(op.path, p),
      query: q,
      headers: {
        ...t,
        ...Object.fromEntries(hs.filter((h): h is [string, string] => h !== null)),
        ...(requestId !== null ? { 'X-Request-Id': requestId, 'X-Correlation-Id': requestId } : {}),
        ...(b !== undefined ? { 'content-type': ct } : {}),
      },
      ...(b !== undefined ? { body: b } : {}),
    }));
}
