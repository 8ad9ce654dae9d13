import { describe, expect, it } from 'vitest';
import {
  classifyKiteError,
  KITE_ERROR_TABLE,
  KiteError,
  type KiteDisposition,
  type KiteFailure,
} from './errors.js';

const cases: [string, KiteFailure, KiteDisposition][] = [
  [
    '403 TokenException',
    { status: 403, errorType: 'TokenException', message: 'Token is invalid or has expired.' },
    'token-expired',
  ],
  [
    '403 PermissionException about the IP',
    { status: 403, errorType: 'PermissionException', message: 'IP not allowed: 203.0.113.7' },
    'ip-not-allowed',
  ],
  [
    '403 PermissionException, lower-case ip',
    { status: 403, errorType: 'PermissionException', message: 'request from this ip is blocked' },
    'ip-not-allowed',
  ],
  [
    '403 PermissionException not about the IP ("ship" does not count)',
    { status: 403, errorType: 'PermissionException', message: 'Insufficient permission to ship' },
    'rejected',
  ],
  [
    '400 InputException',
    { status: 400, errorType: 'InputException', message: 'Invalid price' },
    'rejected',
  ],
  ['400 OrderException', { status: 400, errorType: 'OrderException' }, 'rejected'],
  ['400 MarginException', { status: 400, errorType: 'MarginException' }, 'rejected'],
  ['400 HoldingException', { status: 400, errorType: 'HoldingException' }, 'rejected'],
  [
    '429 with Kite body',
    { status: 429, errorType: 'NetworkException', message: 'Too many requests' },
    'rate-limited',
  ],
  ['429 with no Kite body', { status: 429 }, 'rate-limited'],
  ['500 GeneralException', { status: 500, errorType: 'GeneralException' }, 'ambiguous'],
  ['502 HTML', { status: 502, errorType: 'NetworkException', message: 'Bad Gateway' }, 'ambiguous'],
  ['503 InputException (5xx wins)', { status: 503, errorType: 'InputException' }, 'ambiguous'],
  ['504', { status: 504 }, 'ambiguous'],
  ['200 DataException', { status: 200, errorType: 'DataException' }, 'ambiguous'],
  ['400 NetworkException', { status: 400, errorType: 'NetworkException' }, 'ambiguous'],
  ['400 GeneralException', { status: 400, errorType: 'GeneralException' }, 'ambiguous'],
  [
    'timeout',
    { status: null, errorType: 'NetworkException', networkCode: 'ECONNABORTED' },
    'ambiguous',
  ],
  ['connection reset', { status: null, networkCode: 'ECONNRESET' }, 'ambiguous'],
  ['no status, Kite TokenException', { status: null, errorType: 'TokenException' }, 'ambiguous'],
  [
    'no status, InputException (our own refusal before sending)',
    { status: null, errorType: 'InputException' },
    'rejected',
  ],
  ['unknown: 404 GeneralException', { status: 404, errorType: 'GeneralException' }, 'ambiguous'],
  ['unknown: 400 TokenException', { status: 400, errorType: 'TokenException' }, 'ambiguous'],
  ['unknown: 403 InputException', { status: 403, errorType: 'InputException' }, 'ambiguous'],
  ['unknown: 400 UserException', { status: 400, errorType: 'UserException' }, 'ambiguous'],
  ['unknown: 418 with nothing', { status: 418 }, 'ambiguous'],
];

describe('classifyKiteError', () => {
  it.each(cases)('%s', (_name, failure, disposition) => {
    expect(classifyKiteError(failure)).toBe(disposition);
  });

  it('has one row per documented case, each explained', () => {
    expect(KITE_ERROR_TABLE.length).toBeGreaterThanOrEqual(8);
    for (const row of KITE_ERROR_TABLE) expect(row.meaning.length).toBeGreaterThan(20);
  });
});

describe('KiteError', () => {
  it('carries the disposition, status and Kite error type, and says what to do', () => {
    const e = new KiteError(
      { status: 403, errorType: 'TokenException', message: 'Token is invalid or has expired.' },
      'GET /orders',
    );
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('KiteError');
    expect(e.disposition).toBe('token-expired');
    expect(e.status).toBe(403);
    expect(e.errorType).toBe('TokenException');
    expect(e.kiteMessage).toBe('Token is invalid or has expired.');
    expect(e.networkCode).toBeNull();
    expect(e.message).toMatch(/^GET \/orders: the Kite session has expired/);
    expect(e.message).toContain('log in to Kite again');
    expect(e.message).toContain('HTTP 403 TokenException: "Token is invalid or has expired."');
  });

  it('names a failure without an answer NetworkException and gives its network code', () => {
    const e = new KiteError({ status: null, networkCode: 'ETIMEDOUT' }, 'POST /orders/regular');
    expect(e.errorType).toBe('NetworkException');
    expect(e.disposition).toBe('ambiguous');
    expect(e.networkCode).toBe('ETIMEDOUT');
    expect(e.message).toContain('no answer came from Kite');
    expect(e.message).toContain('check the order book before retrying');
    expect(e.message).toContain('no HTTP answer (ETIMEDOUT)');
  });

  it('tells the operator how to fix a refused IP, and keeps a cause', () => {
    const cause = new Error('underlying');
    const e = new KiteError(
      { status: 403, errorType: 'PermissionException', message: 'IP not allowed' },
      undefined,
      { cause },
    );
    expect(e.disposition).toBe('ip-not-allowed');
    expect(e.message).toMatch(/^Kite call: /);
    expect(e.message).toContain('allowed IPs in the Kite developer console');
    expect(e.cause).toBe(cause);
  });
});
