/** ARCHITECTURE invariants 1 (nondeterminism only through ingress), 2 (intent before effect) and 6 (integer money). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BrokerCommand, RemoteBroker } from '../../src/brokers/index.js';
import {
  OrderFilledSchema,
  paise,
  PortfolioSnapshotSchema,
  quantity,
  type JournalRecord,
  type OrderEvent,
  type SubmitOrder,
} from '../../src/model/index.js';
import type { EncodedBatch, LogTransport } from '../../src/runtime/transport.js';
import { LmdbTransport } from '../../src/runtime/transports/lmdb.js';
import { startTestSystem, tempDir, type TestSystem } from '../helpers/system.js';
import { EMA_AND_MOMENTUM } from '../helpers/strategies.js';

const STRATEGIES = EMA_AND_MOMENTUM;

let t: TestSystem | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await t?.close();
  t = undefined;
});

describe('invariant 1: all nondeterminism enters through ingress', () => {
  it('no code under src/ reads the wall clock or randomness while the actors run', async () => {
    const offenders: string[] = [];
    const record = (what: string) => {
      // The direct caller: the first frame outside this test and the spy machinery.
      const frames = (new Error().stack ?? '')
        .split('\n')
        .slice(1)
        .filter((f) => f.includes(' at ') || f.includes('('));
      const caller = frames.find(
        (f) =>
          !f.includes('invariants.test.ts') &&
          !f.includes('tinyspy') &&
          !f.includes('/vitest/') &&
          !f.includes('@vitest'),
      );
      if (
        caller &&
        caller.includes('/src/') &&
        !caller.includes('/src/runtime/clock.ts') &&
        !caller.includes('/src/runtime/ids.ts')
      ) {
        offenders.push(`${what} from ${caller.trim()}`);
      }
    };
    const realNow = Date.now.bind(Date);
    const realRandom = Math.random.bind(Math);
    vi.spyOn(Date, 'now').mockImplementation(() => (record('Date.now'), realNow()));
    vi.spyOn(Math, 'random').mockImplementation(() => (record('Math.random'), realRandom()));
    t = await startTestSystem({ strategies: STRATEGIES, seed: 3 });
    t.feed(30_000);
    await t.system.bridge.flush();
    expect(t.system.switchboard.stats().byType.OrderFilled ?? 0).toBeGreaterThan(0);
    expect(offenders).toEqual([]);
  });

  it('the same inputs under a different wall-clock start derive the same messages', async () => {
    // Messages may name the trading day they counted in (a daily limit's detail); apart from
    // that, nothing derived may depend on when the run happened to start.
    const derived = (t: TestSystem) => {
      const out: string[] = [];
      t.system.switchboard.tap((r, d) => {
        if (d) out.push(`${r.type} ${JSON.stringify(r.data).replace(/2026-01-0[56]/g, 'DAY')}`);
      });
      return out;
    };
    const a = await startTestSystem({
      strategies: STRATEGIES,
      seed: 5,
      clockStart: Date.UTC(2026, 0, 5, 3, 45),
    });
    const da = derived(a);
    a.feed(30_000);
    const fillsA = a.system.switchboard.stats().byType.OrderFilled;
    await a.close();
    // A day and a half later on the clock: record and tick times differ, decisions must not.
    const b = await startTestSystem({
      strategies: STRATEGIES,
      seed: 5,
      clockStart: Date.UTC(2026, 0, 6, 15, 2, 7),
    });
    const db = derived(b);
    b.feed(30_000);
    expect(db.length).toBe(da.length);
    expect(db).toEqual(da);
    expect(b.system.switchboard.stats().byType.OrderFilled).toBe(fillsA);
    const fa = b.system.switchboard.fingerprint();
    await b.close();
    const c = await startTestSystem({ strategies: STRATEGIES, seed: 6 });
    c.feed(30_000);
    expect(c.system.switchboard.fingerprint()).not.toBe(fa);
    await c.close();
  });
});

/** A transport whose writes wait until released, around a real LMDB transport. */
class GatedTransport implements LogTransport {
  readonly kind = 'gated-lmdb';
  readonly maxInFlight = 1;
  private held: Array<() => void> = [];
  gate = true;
  constructor(readonly inner: LmdbTransport) {}
  open(init: { nonce: number; createdMs: number }) {
    return this.inner.open(init);
  }
  async append(batches: readonly EncodedBatch[]): Promise<void> {
    if (this.gate) await new Promise<void>((r) => this.held.push(r));
    return this.inner.append(batches);
  }
  release(): void {
    this.gate = false;
    for (const r of this.held.splice(0)) r();
  }
  read(from: number, o?: { untilSeq?: number; topics?: readonly string[] }) {
    return this.inner.read(from, o);
  }
  lastSeq() {
    return this.inner.lastSeq();
  }
  bytesWritten() {
    return this.inner.bytesWritten();
  }
  close() {
    return this.inner.close();
  }
}

describe('invariant 2: intent before effect', () => {
  it('a remote broker sees an order only after its SubmitOrder record is durable, and its replies are journaled inputs', async () => {
    const dir = tempDir();
    const transport = new GatedTransport(new LmdbTransport(dir.path));
    const submitSeq = new Map<string, number>();
    const seenAt: Array<{ id: string; durable: number; seq: number }> = [];
    let n = 0;
    const remote: RemoteBroker = {
      execution: 'remote',
      broker: 'paper',
      send(o: BrokerCommand): Promise<OrderEvent[]> {
        if (o.type !== 'SubmitOrder') return Promise.resolve([]);
        seenAt.push({
          id: o.clientOrderId,
          durable: transport.lastSeq(),
          seq: submitSeq.get(o.clientOrderId) ?? -1,
        });
        n++;
        const base = {
          broker: o.broker,
          clientOrderId: o.clientOrderId,
          strategyId: o.strategyId,
          token: o.token,
        };
        return Promise.resolve([
          { type: 'OrderAccepted', ...base, brokerOrderId: `R${n}` },
          {
            type: 'OrderFilled',
            ...base,
            side: o.side,
            quantity: o.quantity,
            price: o.price,
            fees: paise(0),
            slippage: paise(0),
            tickSeq: 0,
            product: o.product,
          },
        ]);
      },
    };
    t = await startTestSystem({ strategies: STRATEGIES, adapter: remote, transport });
    t.system.switchboard.tap((r: JournalRecord) => {
      if (r.type === 'SubmitOrder') submitSeq.set((r.data as SubmitOrder).clientOrderId, r.seq);
    });
    t.feed(20_000);
    await new Promise((r) => setImmediate(r));
    expect(submitSeq.size).toBeGreaterThan(0);
    // Nothing is durable while the transport holds its writes, so nothing may have been sent.
    expect(seenAt).toEqual([]);
    transport.release();
    await t.system.bridge.flush();
    await vi.waitFor(() => expect(seenAt.length).toBe(submitSeq.size));
    for (const s of seenAt) expect(s.durable).toBeGreaterThanOrEqual(s.seq);
    await vi.waitFor(async () => {
      const j = await t!.journal();
      expect(j.filter((r) => r.topic === 'paper.broker.replies').length).toBe(2 * submitSeq.size);
    });
    const j = await t.journal();
    expect(j.filter((r) => r.type === 'OrderFilled' && r.source === 'trader:paper').length).toBe(
      submitSeq.size,
    );
    dir.remove();
  });
});

describe('invariant 6: money is integer paise, quantities integer units', () => {
  it('every number in every journaled record is an integer, except a signal confidence', async () => {
    t = await startTestSystem({ strategies: STRATEGIES, seed: 9 });
    t.feed(40_000);
    const journal = await t.journal();
    const floats: string[] = [];
    const walk = (v: unknown, path: string) => {
      if (typeof v === 'number') {
        if (!Number.isSafeInteger(v) && !path.endsWith('.confidence')) floats.push(`${path}=${v}`);
      } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
      else if (v !== null && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
    };
    for (const r of journal) walk(r.data, r.type);
    expect(journal.filter((r) => r.type === 'OrderFilled').length).toBeGreaterThan(10);
    expect(floats.slice(0, 5)).toEqual([]);
    for (const r of journal) {
      if (r.type === 'OrderFilled') expect(OrderFilledSchema.safeParse(r.data).success).toBe(true);
      if (r.type === 'PortfolioSnapshot')
        expect(PortfolioSnapshotSchema.safeParse(r.data).success).toBe(true);
    }
  });

  it('refuses fractional paise and quantities at every constructor and schema', () => {
    expect(() => paise(100.5)).toThrow(/safe integer/);
    expect(() => quantity(1.5)).toThrow(/safe integer/);
    const fill = {
      type: 'OrderFilled',
      broker: 'paper',
      clientOrderId: 'P1',
      strategyId: 's',
      token: 1,
      side: 'BUY',
      quantity: 1,
      price: 157370,
      fees: 0,
      slippage: 0,
      tickSeq: 1,
      product: 'CNC',
    };
    expect(OrderFilledSchema.safeParse(fill).success).toBe(true);
    expect(OrderFilledSchema.safeParse({ ...fill, price: 1573.7 }).success).toBe(false);
    expect(OrderFilledSchema.safeParse({ ...fill, quantity: 0.5 }).success).toBe(false);
  });
});
