import { describe, expect, it } from 'vitest';
import { createLogger, type LogFormat } from './logger.js';

/** A destination that keeps what is written. */
function sink(isTTY = false): { write(s: string): void; lines: string[]; isTTY: boolean } {
  const lines: string[] = [];
  return { lines, isTTY, write: (s: string) => void lines.push(s) };
}

/** Every planted secret has the form `XX-SECRET-<n>`. */
const PLANTED = /[A-Z]{2}-SECRET-\d+/;

function logSecrets(format: LogFormat): string {
  const out = sink();
  const log = createLogger({ level: 'info', format, to: out });
  log.info(
    {
      user: 'alice',
      instrument_token: 738561,
      accounts: [
        {
          name: 'kite',
          session: {
            access_token: 'AT-SECRET-1',
            keys: [{ api_secret: 'AS-SECRET-2' }, { API_KEY: 'AK-SECRET-3' }],
          },
        },
      ],
      headers: { Authorization: 'token apikey:AH-SECRET-4', Cookie: 'session=CK-SECRET-5' },
      Password: 'PW-SECRET-6',
      requestToken: 'RT-SECRET-7',
      checksum: 'CS-SECRET-8',
      'x-secret': { nested: 'XS-SECRET-9' },
      databaseUrl: 'postgres://alpha:PG-SECRET-10@db:5432/alpha',
      notes: ['see https://kite.trade/connect/login?api_key=QK-SECRET-11&v=3'],
    },
    'session opened',
  );
  const cause = new Error('auth failed: password=CA-SECRET-12');
  const err = new Error('connect failed to redis://default:RD-SECRET-13@cache:6379/0', { cause });
  log.error({ err, attempt: 2 }, 'read model unavailable');
  log.error(err);
  log.warn('login with access_token=MS-SECRET-14 refused');
  log.warn('connecting to %s', 'amqp://svc:IN-SECRET-15@mq:5672');
  log.info({ header: 'Bearer BE-SECRET-16' }, 'request sent');
  const child = log.child({ actor: 'session:zerodha', url: 'https://u:CH-SECRET-17@h/x' });
  child.child({ token: 'CT-SECRET-18' }).info('child line');
  return out.lines.join('');
}

describe('createLogger redacts secrets at any depth', () => {
  it.each(['json', 'pretty'] as const)('%s: no planted secret reaches the output', (format) => {
    const text = logSecrets(format);
    expect(text).not.toMatch(PLANTED);
    // What is not secret is still there: the redaction is not just an empty log.
    const starts = format === 'json' ? /^\{/ : /^\d{4}-\d\d-\d\d /;
    expect(text.split('\n').filter((l) => starts.test(l))).toHaveLength(7);
    for (const kept of [
      'alice',
      'kite',
      '738561',
      'session opened',
      'postgres://alpha:***@db:5432/alpha',
      'redis://default:***@cache:6379/0',
      'amqp://svc:***@mq:5672',
      'https://u:***@h/x',
      'access_token=***',
      'api_key=***',
      'read model unavailable',
      'session:zerodha',
      'child line',
      '[redacted]',
    ])
      expect(text).toContain(kept);
  });

  it('json: errors keep their type and stack, redacted', () => {
    const text = logSecrets('json');
    const entries = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const err = entries[1]!['err'] as { type: string; message: string; stack: string };
    expect(err.type).toBe('Error');
    expect(err.message).toContain('redis://default:***@cache:6379/0');
    expect(err.stack).toContain('logger.test.ts');
    expect(entries[2]!['msg']).toBe('connect failed to redis://default:***@cache:6379/0');
  });
});

describe('LOG_FORMAT', () => {
  const write = (format: LogFormat | undefined, isTTY = false) => {
    const out = sink(isTTY);
    const log = createLogger({ level: 'debug', format, to: out, colours: false });
    const trader = log.child({ actor: 'trader:paper' });
    trader.info({ seq: 41, side: 'BUY', detail: 'two words' }, 'order submitted');
    trader.debug({ seq: 42 }, 'signal');
    log.error({ err: new Error('boom') }, 'failed\nbadly');
    return out.lines;
  };

  it('pretty prints one readable line per entry: time, level, actor, message, fields', () => {
    const [order, signal, failure] = write('pretty');
    expect(order).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} INFO {2}\[trader:paper\] order submitted seq=41 side=BUY detail="two words"\n$/,
    );
    expect(signal).toMatch(/ DEBUG \[trader:paper\] signal seq=42\n$/);
    expect(() => JSON.parse(order!)).toThrow();
    // The message stays on its line; the stack follows, indented.
    const [first, ...stack] = failure!.trimEnd().split('\n');
    expect(first).toMatch(/ ERROR failed\\nbadly err="Error: boom"$/);
    expect(stack.length).toBeGreaterThan(0);
    expect(stack.every((l) => l.startsWith('    at '))).toBe(true);
  });

  it('json prints pino JSON, one object per line', () => {
    const lines = write('json');
    expect(lines).toHaveLength(3);
    const order = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(order).toMatchObject({
      level: 30,
      actor: 'trader:paper',
      msg: 'order submitted',
      seq: 41,
      side: 'BUY',
    });
    expect(typeof order['time']).toBe('number');
    expect((JSON.parse(lines[2]!) as { err: { message: string } }).err.message).toBe('boom');
  });

  it('unset is pretty on a terminal and json elsewhere', () => {
    expect(() => JSON.parse(write(undefined, false)[0]!)).not.toThrow();
    expect(write(undefined, true)[0]).toMatch(/ INFO {2}\[trader:paper\] order submitted /);
  });
});
