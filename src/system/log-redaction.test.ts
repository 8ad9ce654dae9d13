import { describe, expect, it } from 'vitest';
import { isSecretKey, mayHoldSecret, redactSecrets, redactText } from './log-redaction.js';

describe('redactText', () => {
  it.each([
    ['postgres://alpha:pw@db:5432/x', 'postgres://alpha:***@db:5432/x'],
    ['redis://:pw@cache:6379', 'redis://:***@cache:6379'],
    ['redis://u:p@ss@cache:6379/0', 'redis://u:***@cache:6379/0'],
    [
      'https://kite.trade/x?api_key=k1&request_token=r1&v=3',
      'https://kite.trade/x?api_key=***&request_token=***&v=3',
    ],
    ['client_secret=abc; next', 'client_secret=***; next'],
    ['{"accessToken":"abc","n":1}', '{"accessToken":"***","n":1}'],
    ['X-Api-Key: abc', 'X-Api-Key: ***'],
    ['Authorization: token key:secret', 'Authorization: token ***'],
    ['sent Bearer abc.def', 'sent Bearer ***'],
    ['instrument_token=738561', 'instrument_token=738561'],
    ['token expired for 738561', 'token expired for 738561'],
  ])('%s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });
});

describe('redactSecrets', () => {
  it('redacts secret keys at any depth without changing its input', () => {
    const input = { a: [{ b: { DB_PASSWORD: 'x', instrument_token: 5, list: [{ secret: 1 }] } }] };
    const copy = structuredClone(input);
    expect(redactSecrets(input)).toEqual({
      a: [
        { b: { DB_PASSWORD: '[redacted]', instrument_token: 5, list: [{ secret: '[redacted]' }] } },
      ],
    });
    expect(input).toEqual(copy);
  });

  it('turns errors into redacted plain objects and survives cycles', () => {
    const err = new Error('to https://u:pw@h failed');
    const cyclic: Record<string, unknown> = { err };
    cyclic['self'] = cyclic;
    const out = redactSecrets(cyclic) as { err: { message: string; stack: string }; self: unknown };
    expect(out.err.message).toBe('to https://u:***@h failed');
    expect(out.err.stack).not.toContain(':pw@');
    expect(out.self).toBe('[Circular]');
  });

  it('knows which keys are secret', () => {
    for (const k of ['token', 'api_secret', 'apiKey', 'X-Access-Token', 'Set-Cookie', 'checksum'])
      expect(isSecretKey(k)).toBe(true);
    for (const k of ['instrumentToken', 'tokens', 'key', 'correlationId', 'seq'])
      expect(isSecretKey(k)).toBe(false);
  });
});

describe('mayHoldSecret', () => {
  it('lets plain lines through and stops any that redaction would change', () => {
    const order = { msg: 'order submitted', clientOrderId: 'P1', instrument: 738561, side: 'BUY' };
    expect(mayHoldSecret(JSON.stringify(order))).toBe(false);
    for (const extra of [
      { dbPassword: 'x' },
      { 'X-API-KEY': 'x' },
      { note: 'see redis://u:p@h' },
      { header: 'Bearer abc' },
      { nested: [{ Set_Cookie: 'x' }] },
    ]) {
      const line = JSON.stringify({ ...order, ...extra });
      expect(JSON.stringify(redactSecrets(JSON.parse(line)))).not.toBe(line);
      expect(mayHoldSecret(line)).toBe(true);
    }
  });
});
