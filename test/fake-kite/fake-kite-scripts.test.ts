/** The fake's scripted failures: place faults, IP refusal, and misbehaving order updates. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeKite, updateChecksum } from './index.js';
import { ADANI, kiteClient, kiteError, limitBuy, tickAt, TickerProbe } from './test-kit.js';

let fake: FakeKite;
let kc: ReturnType<typeof kiteClient>;

beforeEach(async () => {
  fake = await FakeKite.start();
  kc = kiteClient(fake);
  await fake.tick(tickAt(100));
});
afterEach(() => fake.close());

const order = (fields: Record<string, unknown> = {}) => limitBuy(kc, 99, fields);

describe('FakeKite place scripts', () => {
  it('answers scripted statuses in order, creating nothing, then places normally', async () => {
    fake.script.place.push(
      { kind: 'status', status: 429, errorType: 'NetworkException', message: 'Too many requests' },
      {
        kind: 'status',
        status: 503,
        errorType: 'GeneralException',
        message: 'Service unavailable',
      },
    );
    expect(await kiteError(order())).toMatchObject({
      error_type: 'NetworkException',
      message: 'Too many requests',
    });
    expect(await kiteError(order())).toMatchObject({ error_type: 'GeneralException' });
    expect(fake.orderBook()).toEqual([]);
    await order();
    expect(fake.orderBook()).toHaveLength(1);
    expect(fake.script.place).toEqual([]);
  });

  it('never answers a timeout; with placeAnyway the order is in the book under its tag', async () => {
    const slow = kiteClient(fake, { timeout: 150 });
    fake.script.place.push(
      { kind: 'timeout', placeAnyway: true },
      { kind: 'timeout', placeAnyway: false },
    );
    const place = (tag: string) =>
      slow.placeOrder('regular', {
        exchange: 'NSE',
        tradingsymbol: ADANI.symbol,
        transaction_type: 'BUY',
        quantity: 1,
        product: 'CNC',
        order_type: 'LIMIT',
        price: 99,
        tag,
      });
    expect((await kiteError(place('Placed1'))).error_type).toBe('NetworkException');
    expect((await kiteError(place('Lost1'))).error_type).toBe('NetworkException');
    const book = await kc.getOrders();
    expect(book.map((o) => o.tag)).toEqual(['Placed1']);
    expect(fake.orderWrites()).toBe(2);
  });

  it('places a delayReply order at once: its update arrives before the reply', async () => {
    const probe = await TickerProbe.open(fake);
    fake.script.place.push({ kind: 'delayReply', ms: 30 });
    const seen: string[] = [];
    const reply = order({ tag: 'Delay1' }).then((r) => seen.push(`reply ${r.order_id}`));
    const [u] = await probe.waitFor((m) => m.kind === 'text');
    seen.push('update');
    await reply;
    expect(seen).toEqual(['update', `reply ${fake.orderBook()[0]!['order_id'] as string}`]);
    expect(u).toMatchObject({ json: { type: 'order', data: { status: 'OPEN', tag: 'Delay1' } } });
    probe.close();
  });

  it('refuses every order write with 403 PermissionException naming the IP, while reads work', async () => {
    const { order_id } = await order();
    fake.script.refuseIp = true;
    for (const p of [
      order(),
      kc.modifyOrder('regular', order_id, { price: 98 }),
      kc.cancelOrder('regular', order_id),
    ]) {
      const e = await kiteError(p);
      expect(e.error_type).toBe('PermissionException');
      expect(e.message).toMatch(/IP/);
    }
    expect(await kc.getOrders()).toHaveLength(1);
    expect(fake.orderWrites()).toBe(4);
    const res = await fetch(`${fake.restUrl}/orders/regular/${order_id}`, {
      method: 'DELETE',
      headers: { authorization: `token ${fake.apiKey}:${fake.issueToken()}` },
    });
    expect(res.status).toBe(403);
  });
});

describe('FakeKite order updates', () => {
  it('sends each new state to every socket as postback-shaped text', async () => {
    const a = await TickerProbe.open(fake);
    const b = await TickerProbe.open(fake);
    const { order_id } = await order();
    await fake.tick(tickAt(98.9));
    for (const p of [a, b]) {
      await p.waitFor((m) => m.kind === 'text', 2);
      expect(p.updates().map((u) => u['status'])).toEqual(['OPEN', 'COMPLETE']);
    }
    const done = a.updates()[1]!;
    expect(done).toMatchObject({
      order_id,
      user_id: 'AB1234',
      unfilled_quantity: 0,
      filled_quantity: 10,
    });
    expect(done['checksum']).toBe(
      updateChecksum(order_id, done['order_timestamp'] as string, fake.apiSecret),
    );
    expect('modified' in done).toBe(false);
    a.close();
    b.close();
  });

  it('duplicates every update, and sends the partial fill again after COMPLETE when asked', async () => {
    const probe = await TickerProbe.open(fake);
    fake.updates.duplicate = true;
    fake.updates.staleAfterComplete = true;
    await order();
    await fake.tick(tickAt(98.9, 4));
    await fake.tick(tickAt(98.9, 100));
    await probe.waitFor((m) => m.kind === 'text', 8);
    expect(
      probe.updates().map((u) => `${u['status'] as string} ${u['filled_quantity'] as number}`),
    ).toEqual([
      'OPEN 0',
      'OPEN 0',
      'OPEN 4',
      'OPEN 4',
      'COMPLETE 10',
      'COMPLETE 10',
      'OPEN 4',
      'OPEN 4',
    ]);
    probe.close();
  });

  it('sends no update when suppressed: the book still changes', async () => {
    const probe = await TickerProbe.open(fake);
    fake.updates.suppress = true;
    await order();
    await fake.tick(tickAt(98.9));
    await probe.barrier();
    expect(probe.updates()).toEqual([]);
    expect(fake.orderBook()[0]!['status']).toBe('COMPLETE');
    probe.close();
  });

  it('POSTs each update to the postback URL with the checksum Kite signs', async () => {
    const bodies: Record<string, unknown>[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/postback`;
    await fake.close();
    fake = await FakeKite.start({ postbackUrl: url, apiSecret: 's3cret' });
    kc = kiteClient(fake);
    await fake.tick(tickAt(100));
    const { order_id } = await order({ quantity: 1, price: 100.05 });
    await fake.tick(tickAt(100));
    expect(fake.postbacks.map((p) => p.status)).toEqual([200, 200]);
    expect(bodies.map((b) => b['status'])).toEqual(['OPEN', 'COMPLETE']);
    const b = bodies[1]!;
    expect(b['order_id']).toBe(order_id);
    expect(b['checksum']).toBe(updateChecksum(order_id, b['order_timestamp'] as string, 's3cret'));
    expect(kc.validatePostback(b, 's3cret')).toBe(true);
    await new Promise<void>((r) => receiver.close(() => r()));
  });
});
