/** fast-check arbitraries for the values a JSON Schema (of an OpenAPI document) describes. */
import fc from 'fast-check';
import { deref, type JsonSchema, type OpenApiDocument } from './openapi-client.js';

/** Values that exist in the daemon, by parameter or field name, so some requests reach the handlers. */
export type KnownValues = Readonly<Record<string, readonly string[]>>;

/**
 * A value of `schema` (the document's JSON Schema), small; an object's property named in `known`
 * is often one of those values.
 */
export function valueOf(
  doc: OpenApiDocument,
  raw: JsonSchema,
  depth = 0,
  known: KnownValues = {},
): fc.Arbitrary<unknown> {
  const s = deref<JsonSchema>(doc, raw);
  if (depth > 4) return fc.constant(null);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  for (const k of ['anyOf', 'oneOf'] as const)
    if (Array.isArray(s[k]))
      return fc.oneof(...(s[k] as JsonSchema[]).map((x) => valueOf(doc, x, depth + 1, known)));
  if (Array.isArray(s.allOf))
    return valueOf(doc, Object.assign({}, ...(s.allOf as JsonSchema[])), depth + 1, known);
  const types = Array.isArray(s.type) ? (s.type as string[]) : s.type ? [s.type as string] : [];
  if (types.length > 1)
    return fc.oneof(...types.map((t) => valueOf(doc, { ...s, type: t }, depth, known)));
  const num = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
  switch (types[0]) {
    case 'string':
      return fc.string({
        minLength: num('minLength') ?? 0,
        maxLength: Math.max(num('minLength') ?? 0, Math.min(num('maxLength') ?? 24, 24)),
      });
    case 'integer': {
      const min =
        num('minimum') ??
        (num('exclusiveMinimum') !== undefined ? num('exclusiveMinimum')! + 1 : -1_000);
      const max =
        num('maximum') ??
        (num('exclusiveMaximum') !== undefined ? num('exclusiveMaximum')! - 1 : 100_000);
      return fc.integer({
        min: Math.max(min, Number.MIN_SAFE_INTEGER),
        max: Math.min(max, Number.MAX_SAFE_INTEGER, Math.max(min, 0) + 1_000_000),
      });
    }
    case 'number':
      return fc.double({
        noNaN: true,
        noDefaultInfinity: true,
        min: num('minimum') ?? -1e9,
        max: num('maximum') ?? 1e9,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(valueOf(doc, (s.items as JsonSchema | undefined) ?? {}, depth + 1, known), {
        minLength: num('minItems') ?? 0,
        maxLength: Math.max(num('minItems') ?? 0, 3),
      });
    case 'object':
      return objectOf(doc, s, depth, known);
    default:
      return s.properties ? objectOf(doc, s, depth, known) : fc.jsonValue({ maxDepth: 2 });
  }
}

function objectOf(
  doc: OpenApiDocument,
  s: JsonSchema,
  depth: number,
  known: KnownValues,
): fc.Arbitrary<unknown> {
  const props = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = (s.required ?? []) as string[];
  const field = (k: string, v: JsonSchema) => {
    const generated = valueOf(doc, v, depth + 1, known);
    const values = known[k];
    return values && values.length > 0
      ? fc.oneof(generated, fc.constantFrom(...values))
      : generated;
  };
  const fields = fc.record(
    Object.fromEntries(Object.entries(props).map(([k, v]) => [k, field(k, v)])),
    { requiredKeys: required.filter((k) => k in props) },
  );
  const extra = s.additionalProperties;
  if (extra === undefined || extra === false) return fields;
  return fc
    .tuple(
      fields,
      fc.dictionary(
        fc.string({ maxLength: 12 }),
        valueOf(doc, extra === true ? {} : (extra as JsonSchema), depth + 1, known),
        { maxKeys: 2 },
      ),
    )
    .map(([a, b]) => ({ ...b, ...a }));
}
