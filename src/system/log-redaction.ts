/**
 * Redaction of secrets in log entries: values under secret keys at any depth, credentials in URLs
 * and `key=value` secrets inside any string (messages, error messages and stacks included).
 */

/** Replaces the value of a secret key. */
export const REDACTED = '[redacted]';

/** Replaces a secret inside a string. */
const MASK = '***';

/**
 * Secret key names, in snake case. A key is secret when it is one of them or ends with one after
 * `_` (`db_password`, `X-Api-Key`), whatever its case and whether it is written with `_`, `-` or
 * in camel case (`accessToken`, `Access-Token`, `ACCESS_TOKEN`).
 */
const SECRET_KEYS = [
  'token',
  'access_token',
  'refresh_token',
  'request_token',
  'enctoken',
  'api_key',
  'apikey',
  'api_secret',
  'secret',
  'password',
  'passwd',
  'authorization',
  'cookie',
  'checksum',
  'private_key',
];
const SECRET_KEY_SET = new Set(SECRET_KEYS);
const SECRET_SUFFIXES = SECRET_KEYS.map((k) => `_${k}`);
/** Kite's names for an instrument's ids: public numbers, not secrets. */
const PUBLIC_KEYS = new Set(['instrument_token', 'exchange_token']);

/** isSecretKey's answers so far: log entries use the same few keys over and over. */
const known = new Map<string, boolean>();

/** Whether values under `key` are secrets. */
export function isSecretKey(key: string): boolean {
  let secret = known.get(key);
  if (secret === undefined) {
    const k = key
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/-/g, '_');
    secret =
      SECRET_KEY_SET.has(k) || (!PUBLIC_KEYS.has(k) && SECRET_SUFFIXES.some((s) => k.endsWith(s)));
    // Keys made from data (ids as keys) must not grow the cache without bound.
    if (known.size >= 10_000) known.clear();
    known.set(key, secret);
  }
  return secret;
}

// `scheme://user:password@host`: the password runs to the last `@` before the host (an
// unencoded `@` in it must not leave a tail behind).
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/?#]*):([^\s/?#]*)@/gi;

// `token=...`, `"api_key": "..."`, `Authorization: token key:secret`, `db_password: ...`: the
// key is checked with isSecretKey, so a string says the same as an object would.
const KEY_ALTERNATION = [...SECRET_KEYS]
  .sort((a, b) => b.length - a.length)
  .map((k) => k.replace(/_/g, '[_-]?'))
  .join('|');
const KEY_VALUE = new RegExp(
  `\\b([a-z0-9_-]{0,40}?(?:${KEY_ALTERNATION}))(["']?\\s*[:=]\\s*["']?)((?:(?:bearer|basic|token|digest)\\s+)?)[^\\s&"',;]+`,
  'gi',
);
const BEARER = /\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi;

// Every secret key contains one of the names, whatever its spelling; so does every string
// redactText changes, or it holds `://` or `bearer`.
const MAYBE_SECRET = new RegExp(`://|bearer|${KEY_ALTERNATION}`, 'i');

/**
 * Whether `s` may hold something to redact: false means that neither `redactText(s)` nor, for a
 * JSON text, `redactSecrets(JSON.parse(s))` would change anything (the fast path for most lines).
 */
export function mayHoldSecret(s: string): boolean {
  return MAYBE_SECRET.test(s);
}

/** `s` with credentials in URLs and secret `key=value` pairs masked. */
export function redactText(s: string): string {
  if (!MAYBE_SECRET.test(s)) return s;
  return s
    .replace(URL_CREDENTIALS, `$1$2:${MASK}@`)
    .replace(KEY_VALUE, (m, key: string, sep: string, scheme: string) =>
      isSecretKey(key) ? `${key}${sep}${scheme}${MASK}` : m,
    )
    .replace(BEARER, `$1 ${MASK}`);
}

/**
 * A copy of `value` with every secret redacted: the value of any secret key, in objects and
 * arrays at any depth, becomes `[redacted]`, and every string is passed through `redactText`.
 * Errors become plain objects (type, message, stack, their own fields, cause), redacted alike.
 * `value` itself is not changed.
 */
export function redactSecrets(value: unknown): unknown {
  return redact(value, new Set());
}

function redact(value: unknown, path: Set<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (path.has(value)) return '[Circular]';
  path.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => redact(v, path));
    if (value instanceof Error) return redactObject(errorFields(value), path);
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return redact(toJSON.call(value), path);
    return redactObject(value as Record<string, unknown>, path);
  } finally {
    path.delete(value);
  }
}

function redactObject(obj: Record<string, unknown>, path: Set<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = isSecretKey(k) ? REDACTED : redact(v, path);
  return out;
}

function errorFields(err: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { type: err.name, message: err.message, stack: err.stack };
  for (const [k, v] of Object.entries(err)) if (!(k in out)) out[k] = v;
  if (err.cause !== undefined) out['cause'] = err.cause;
  return out;
}
