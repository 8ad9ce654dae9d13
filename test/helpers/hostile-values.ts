/**
 * Hostile values for fuzzing the API: strings that have broken parsers, routers and logs, odd
 * numbers, JSON of every kind, header values, and bodies that are not JSON.
 */
import fc from 'fast-check';

/** Strings that have broken parsers, routers and logs; each fits in a URL. */
const ODD_STRINGS = [
  '',
  ' ',
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2f',
  '/etc/passwd',
  '\u0000',
  '\r\nX-Injected: 1',
  'null',
  'undefined',
  'true',
  'NaN',
  'Infinity',
  '-1',
  '-0',
  '0',
  '1.5',
  '1e309',
  '0x1F',
  ' 7 ',
  '7abc',
  '9'.repeat(400),
  'ü日本語🐼',
  '\u202e\u0645',
  '\ud800',
  "' OR '1'='1' --",
  '<script>alert(1)</script>',
  '${jndi:ldap://127.0.0.1/x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'a'.repeat(2_000),
];

const ODD_NUMBERS = [
  -1,
  0,
  -0,
  1.5,
  -1e-9,
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e308,
  -1e308,
  Number.MIN_VALUE,
];

/** Strings a header may carry: printable ASCII. */
export const hostileHeaderValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '-1', 'x'.repeat(1_000), '../../etc/passwd', '<x>', "'", '9'.repeat(40)),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
);

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...ODD_STRINGS), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 1 },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...ODD_NUMBERS),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** Any JSON value, hostile ones preferred. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.boolean(),
  fc.constant(null),
  fc.constant('h'.repeat(200_000)),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

/** Bodies that are not JSON, or JSON that parsers disagree on; one is over API__MAX_BODY_BYTES. */
export const MALFORMED_JSON: readonly string[] = [
  '{',
  '{"reason": ',
  '[1, 2',
  'nul',
  "{'reason': 'single quotes'}",
  '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}',
  '{"reason": "a", "reason": "b"}',
  '\u0000',
  '\ufeff{}',
  'NaN',
  ' ',
  `{"reason": "${'\\u0000'.repeat(10)}"}`,
  '1'.repeat(400),
  '['.repeat(10_000),
  JSON.stringify({ reason: 'x'.repeat((1 << 20) + 10) }),
];
