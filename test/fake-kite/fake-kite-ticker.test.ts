/** The fake's WebSocket ticker: sessions, subscriptions and modes, heartbeats, silence, drops. */
import { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeKite } from './index.js';
import { ADANI, tickAt, TickerProbe } from './test-kit.js';

const OTHER = 4419329; // ARMANFIN

let fake: FakeKite;
beforeEach(async () => {
  fake = await FakeKite.start({ heartbeatMs: 20 });
});
afterEach(() => fake.close());

const ticks = (p: TickerProbe) => p.received.flatMap((m) => (m.kind === 'ticks' ? m.packets : []));

describe('FakeKite ticker', () => {
  it('refuses the upgrade with HTTP 403 for a bad or missing token', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${fake.wsUrl}?api_key=${fake.apiKey}&access_token=nope`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(403);
    expect(fake.sockets()).toBe(0);
  });

  it('sends ticks of subscribed tokens in each socket mode: quote by default, full, ltp', async () => {
    const quote = await TickerProbe.open(fake);
    const full = await TickerProbe.open(fake);
    const ltp = await TickerProbe.open(fake);
    await quote.subscribe([ADANI.token]);
    await full.subscribe([ADANI.token, OTHER], 'full');
    await ltp.subscribe([ADANI.token], 'ltp');
    expect(fake.sockets()).toBe(3);
    expect([...fake.subscriptions().values()].map((s) => Object.fromEntries(s))).toEqual([
      { [ADANI.token]: 'quote' },
      { [ADANI.token]: 'full', [OTHER]: 'full' },
      { [ADANI.token]: 'ltp' },
    ]);
    const t = tickAt(100.25);
    await fake.tick(t);
    await fake.tick(tickAt(250, 10, OTHER));
    for (const p of [quote, full, ltp]) await p.barrier();
    expect(ticks(quote).map((p) => [p.mode, p.token, p.lastPrice])).toEqual([
      ['quote', ADANI.token, 100_25],
    ]);
    expect(ticks(full).map((p) => [p.mode, p.token])).toEqual([
      ['full', ADANI.token],
      ['full', OTHER],
    ]);
    expect(ticks(full)[0]!.depth!.buy[0]).toEqual({ price: 100_20, quantity: 1000, orders: 1 });
    expect(ticks(ltp).map((p) => p.mode)).toEqual(['ltp']);
    full.send({ a: 'unsubscribe', v: [ADANI.token] });
    await full.barrier();
    await fake.tick(tickAt(101));
    await full.barrier();
    expect(ticks(full)).toHaveLength(2);
    for (const p of [quote, full, ltp]) p.close();
  });

  it('sends a 1-byte heartbeat every heartbeatMs', async () => {
    const p = await TickerProbe.open(fake);
    await p.waitFor((m) => m.kind === 'heartbeat', 3);
    p.close();
  });

  it('goes silent without closing (no heartbeats, ticks or pongs), then speaks again', async () => {
    // A second fake's heartbeats are the clock: three of its periods pass in silence.
    const clock = await FakeKite.start({ heartbeatMs: 20 });
    const beat = await TickerProbe.open(clock);
    const p = await TickerProbe.open(fake);
    await p.subscribe([ADANI.token]);
    await p.barrier();
    fake.silence(true);
    const before = p.received.length;
    await fake.tick(tickAt(100));
    // A dead network answers no ping either: this one stays unanswered while silent.
    let answered = false;
    const pong = p.barrier().then(() => (answered = true));
    await beat.waitFor((m) => m.kind === 'heartbeat', 3);
    expect(answered).toBe(false);
    expect(p.received.length).toBe(before);
    expect(fake.sockets()).toBe(1);
    const beats = p.received.filter((m) => m.kind === 'heartbeat').length;
    fake.silence(false);
    await p.barrier();
    void pong;
    await fake.tick(tickAt(100));
    await p.waitFor((m) => m.kind === 'ticks');
    await p.waitFor((m) => m.kind === 'heartbeat', beats + 1);
    beat.close();
    p.close();
    await clock.close();
  });

  it('drops every socket abruptly', async () => {
    const p = await TickerProbe.open(fake);
    fake.dropSockets();
    expect((await p.closed).code).toBe(1006);
    expect(fake.sockets()).toBe(0);
  });

  it('closes sockets with 1000 "token expired" on expireTokens(), and refuses their token after', async () => {
    const token = fake.issueToken();
    const p = await TickerProbe.open(fake, token);
    fake.expireTokens();
    expect(await p.closed).toEqual({ code: 1000, reason: 'token expired' });
    await expect(TickerProbe.open(fake, token)).rejects.toThrow(/403/);
    const again = await TickerProbe.open(fake);
    expect(fake.sockets()).toBe(1);
    again.close();
  });
});
