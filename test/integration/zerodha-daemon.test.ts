/**
 * The daemon with both brokers against a fake Kite server: the zerodha gate waits for a login;
 * after it the ticker feeds both brokers and zerodha orders carry our client order ids and market
 * protection; a token refused mid-session halts the zerodha gate while paper keeps trading, and a
 * new login (the `login` command) resumes it without a restart; a silent ticker socket is
 * replaced; 429s, refused IPs and forged postbacks are handled; a SIGKILL between a durable order
 * and Kite's answer places nothing twice; replay reproduces the journal with zero divergences.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayJournal, until } from '../helpers/daemon.js';
import { TOO_MANY_REQUESTS as busy } from '../fake-kite/index.js';
import { KiteDaemon, kiteLogin, RELIANCE } from '../helpers/kite-daemon.js';
import { ROOT } from '../helpers/system.js';

let k: KiteDaemon;

beforeAll(async () => {
  k = await KiteDaemon.start({
    TRADING__ZERODHA__ENABLED: 'true',
    ZERODHA__STATIC_IP: '203.0.113.7',
  });
}, 60_000);

afterAll(async () => {
  await k.close();
});

describe('the daemon trading on paper and Zerodha', () => {
  it('halts the zerodha gate until a login, then trades on both brokers', async () => {
    const before = (await k.brokers()).zerodha!;
    expect(before).toMatchObject({
      state: 'HALTED',
      link: { state: 'NONE', staticIp: '203.0.113.7' },
    });
    expect(before.reason).toContain('log in at /api/v1/auth/zerodha/login');
    await k.login();
    await until(
      async () => ((await k.brokers()).zerodha?.state === 'ACTIVE' ? true : undefined),
      10_000,
      'the zerodha gate to open after the login',
    );
    await until(async () => (k.subscribed() ? true : undefined), 10_000, 'the ticker');
    await until(
      async () => {
        await k.swing();
        return k.fake.orderBook().length > 0 ? true : undefined;
      },
      20_000,
      'a zerodha order at Kite',
    );
    for (const p of k.posts()) {
      expect(p.body['tag']).toMatch(/^Z[0-9A-Z]{17}$/);
      if (p.body['order_type'] === 'MARKET')
        expect(Number(p.body['market_protection'])).toBeGreaterThan(0);
    }
    await until(
      async () => (k.fills('paper') > 0 && k.fills('zerodha') > 0 ? true : undefined),
      10_000,
      'fills on both brokers',
    );
    // Every zerodha order the API shows is at Kite under our client order id (once placed).
    await until(
      async () => {
        const body = (await k.d.get('/api/v1/orders?broker=zerodha')).body as {
          orders: { clientOrderId: string; orderType: string; protectionPrice: number | null }[];
        };
        const tags = new Set(k.fake.orderBook().map((o) => o.tag));
        const ok =
          body.orders.length > 0 &&
          body.orders.every(
            (o) =>
              tags.has(o.clientOrderId) &&
              (o.orderType !== 'MARKET' || (o.protectionPrice ?? 0) > 0),
          );
        return ok ? true : undefined;
      },
      10_000,
      "the API's zerodha orders to be Kite's",
    );
  }, 60_000);

  it('a token refused mid-session halts zerodha within a second while paper trades on; a login resumes it', async () => {
    const closedBefore = k.gaps('closed');
    const expiredAt = Date.now();
    k.fake.expireTokens();
    await until(
      async () => ((await k.brokers()).zerodha?.state === 'HALTED' ? true : undefined),
      5_000,
      'the zerodha gate to halt',
    );
    // The daemon's own log line says when the gate halted (its clock is this machine's).
    const halted = await until(
      async () =>
        k.d
          .output()
          .split('\n')
          .filter((l) => l.includes('"msg":"trading halted"') && l.includes('"broker":"zerodha"'))
          .map((l) => (JSON.parse(l) as { time: number }).time)
          .find((t) => t >= expiredAt),
      5_000,
      "the daemon's log line of the halt",
    );
    expect(halted - expiredAt).toBeLessThan(1_000);
    expect((await k.brokers()).paper).toMatchObject({ state: 'ACTIVE' });
    // The operator logs in again with `login`, which prints Kite's URL and waits for the callback.
    const cli = spawn(
      process.execPath,
      [
        join(ROOT, 'dist', 'main.js'),
        'login',
        '--api',
        `http://127.0.0.1:${k.d.port}`,
        '--timeout',
        '30',
      ],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent' } },
    );
    let out = '';
    cli.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((r) => cli.once('exit', (code) => r(code)));
    const url = await until(
      async () => /^\s+(http\S+)$/m.exec(out)?.[1],
      10_000,
      'the login URL from `login`',
    );
    expect(url.startsWith(k.fake.loginUrl)).toBe(true);
    await kiteLogin(url);
    expect(await exited).toBe(0);
    expect(out).toContain('logged in as AB1234');
    await until(
      async () => ((await k.brokers()).zerodha?.state === 'ACTIVE' ? true : undefined),
      10_000,
      'the zerodha gate to reopen',
    );
    // The feed is back: the gap the expiry opened closed with a frame on the new connection.
    await until(
      async () => (k.gaps('closed') > closedBefore && k.fake.sockets() > 0 ? true : undefined),
      10_000,
      'the ticker back with the new token',
    );
  }, 30_000);

  it('replaces a ticker socket that goes silent, journaling the gap', async () => {
    const opened = k.gaps('opened');
    const closed = k.gaps('closed');
    k.fake.silence(true);
    await until(async () => (k.gaps('opened') > opened ? true : undefined), 5_000, 'a feed gap');
    k.fake.silence(false);
    await until(
      async () => (k.gaps('closed') > closed ? true : undefined),
      10_000,
      'the gap to close',
    );
  }, 30_000);

  it("a 429 tightens the zerodha gate's governor and the order is retried after the window, once at Kite", async () => {
    const from = k.fake.requests.length;
    k.fake.script.place.push(busy, busy);
    const placed = () => new Set(k.fake.orderBook().map((o) => o.tag));
    await until(
      async () => {
        await k.swing();
        const sent = k.posts(from);
        const done =
          k.fake.script.place.length === 0 &&
          sent.length > 2 &&
          sent.every((p) => placed().has(p.body['tag']));
        return done ? true : undefined;
      },
      20_000,
      'every order refused with a 429 placed on a retry',
    );
    const tags = k.posts(from).map((p) => p.body['tag']);
    // Two refusals, each retried: two more requests than orders, and each order once at Kite.
    expect(tags.length).toBe(new Set(tags).size + 2);
    for (const tag of new Set(tags))
      expect(k.fake.orderBook().filter((o) => o.tag === tag)).toHaveLength(1);
    expect(k.d.output()).toContain('Kite answered 429');
  }, 60_000);

  it('an IP Kite refuses halts the zerodha gate with that reason; paper trades on', async () => {
    k.fake.script.refuseIp = true;
    const halted = await until(
      async () => {
        await k.swing();
        const z = (await k.brokers()).zerodha!;
        return z.state === 'HALTED' ? z : undefined;
      },
      20_000,
      'the zerodha gate halted for the IP',
    );
    expect(halted.reason).toContain("Kite refused this machine's IP");
    expect(halted.reason).toContain('ZERODHA__STATIC_IP');
    expect((await k.brokers()).paper).toMatchObject({ state: 'ACTIVE' });
    k.fake.script.refuseIp = false;
    await k.login();
    await until(
      async () => ((await k.brokers()).zerodha?.state === 'ACTIVE' ? true : undefined),
      10_000,
      'the zerodha gate to reopen after the next login',
    );
  }, 60_000);

  it('takes postbacks whose checksum holds, and refuses forged ones', async () => {
    await until(
      async () => (k.fake.postbacks.length > 0 ? true : undefined),
      10_000,
      'a postback from Kite',
    );
    expect(k.fake.postbacks.every((p) => p.status === 200)).toBe(true);
    const forged = { ...k.fake.postbacks[0]!.body, filled_quantity: 999, checksum: '0'.repeat(64) };
    const res = await fetch(`http://127.0.0.1:${k.d.port}/api/v1/postbacks/zerodha`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(forged),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('POSTBACK_REFUSED');
  }, 30_000);

  it('refuses a hostile or broken login callback, keeping the session it has', async () => {
    const cb = (q: string) =>
      fetch(`http://127.0.0.1:${k.d.port}/api/v1/auth/zerodha/callback${q}`);
    const code = async (r: Response) =>
      ((await r.json()) as { error: { code: string } }).error.code;
    let r = await cb('');
    expect([r.status, await code(r)]).toEqual([400, 'BAD_REQUEST_TOKEN']);
    r = await cb('?request_token=..%2F..%2Fetc&status=success');
    expect([r.status, await code(r)]).toEqual([400, 'BAD_REQUEST_TOKEN']);
    r = await cb('?request_token=abc&status=cancelled');
    expect([r.status, await code(r)]).toEqual([400, 'LOGIN_FAILED']);
    // A request token Kite never issued (or one used already): Kite refuses the exchange.
    r = await cb('?request_token=neverissued&status=success');
    expect([r.status, await code(r)]).toEqual([502, 'LOGIN_EXCHANGE_FAILED']);
    expect((await k.brokers()).zerodha).toMatchObject({
      state: 'ACTIVE',
      link: { state: 'VALID' },
    });
  }, 30_000);

  it("SIGKILL between a durable SubmitOrder and Kite's reply: the restart finds it by its tag, placed once", async () => {
    const from = k.fake.requests.length;
    k.fake.script.place.push({ kind: 'delayReply', ms: 120_000 });
    await until(async () => (k.subscribed() ? true : undefined), 10_000, 'the ticker');
    // The first order sent from here is placed at Kite, and its answer is held.
    const heldTag = await until(
      async () => {
        await k.swing();
        const tag = k.posts(from)[0]?.body['tag'];
        return tag !== undefined && k.fake.orderBook().some((o) => o.tag === tag) ? tag : undefined;
      },
      10_000,
      'an order placed whose answer is held',
    );
    k.d.child.kill('SIGKILL');
    await k.d.exited;
    await k.restart();
    await until(
      async () => ((await k.brokers()).zerodha?.state === 'ACTIVE' ? true : undefined),
      15_000,
      'the session restored and the orders reconciled',
    );
    const book = k.fake.orderBook();
    expect(book.filter((o) => o.tag === heldTag)).toHaveLength(1);
    expect(k.posts(from).filter((r) => r.body['tag'] === heldTag)).toHaveLength(1);
    // Nothing placed twice: every tag at Kite is one order.
    const tagged = book.filter((o) => o.tag !== null);
    expect(new Set(tagged.map((o) => o.tag)).size).toBe(tagged.length);
    // Positions match Kite's: the journal's net RELIANCE position equals the fills at Kite.
    const atKite = book.reduce(
      (n, o) => n + (o.transaction_type === 'BUY' ? 1 : -1) * Number(o.filled_quantity),
      0,
    );
    await until(
      async () => {
        const p = (await k.d.get('/api/v1/portfolios/zerodha/swing')).body as {
          positions: { instrumentToken: number; quantity: number }[];
        };
        const q = p.positions.find((x) => x.instrumentToken === RELIANCE)?.quantity ?? 0;
        return q === atKite ? true : undefined;
      },
      15_000,
      `the zerodha position to equal Kite's (${atKite})`,
    );
  }, 90_000);

  it('replay of the journal reproduces it with zero divergences', async () => {
    k.d.child.kill('SIGTERM');
    await k.d.exited;
    const r = replayJournal(k.d.dataDir);
    expect(r.stderr).toBe('');
    expect(r.result.divergences).toBe(0);
    expect(r.result.fingerprint).toBe(r.result.recordedFingerprint);
  }, 120_000);
});
