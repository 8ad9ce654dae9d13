/**
 * The operator's trading API on a running daemon: GET /api/v1/brokers, halt / reduce / resume per
 * broker or strategy, the kill switch, the orders with their fills; a halt survives a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { started, startDaemon, until, type Daemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/system.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function post(d: Daemon, path: string, body: unknown) {
  return d.post(path, body);
}

async function stop(d: Daemon): Promise<void> {
  d.child.kill('SIGTERM');
  expect((await d.exited).code).toBe(0);
}

const ENV = { FEED__SEED: '5', FEED__TICKS_PER_SECOND: '2000', FEED__BATCH_MS: '20' };

describe('the trading API', () => {
  it('halts a strategy and a broker, keeps the halt across a restart, and kills', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    let d = await startDaemon(ENV, { dataDir: dir.path });
    cleanups.push(() => d.remove());
    await started(d);
    const brokers = await d.get('/api/v1/brokers');
    expect(brokers.body).toMatchObject({ brokers: [{ broker: 'paper', state: 'ACTIVE' }] });

    // Bad input names what is wrong and changes nothing.
    expect((await post(d, '/api/v1/brokers/zerodah/halt', {})).status).toBe(404);
    const typo = await post(d, '/api/v1/brokers/paper/halt', { reasn: 'x' });
    expect(typo.status).toBe(400);
    expect(JSON.stringify(typo.body)).toContain('reason');
    expect((await post(d, '/api/v1/brokers/paper/halt', { strategyId: 'nope' })).status).toBe(404);
    expect((await post(d, '/api/v1/kill', {})).status).toBe(400);

    const s = await post(d, '/api/v1/brokers/paper/reduce', {
      strategyId: 'ema_cross_tcs',
      reason: 'review the TCS strategy',
    });
    expect(s.status).toBe(200);
    expect(s.body.seq).toEqual(expect.any(Number));
    const h = await post(d, '/api/v1/brokers/paper/halt', { reason: 'end of day' });
    expect(h.body).toMatchObject({
      brokers: [
        {
          broker: 'paper',
          state: 'HALTED',
          reason: 'end of day',
          strategies: { ema_cross_tcs: { state: 'REDUCING', reason: 'review the TCS strategy' } },
        },
      ],
    });
    // Orders, with their fills, filtered as asked.
    const orders = (await d.get('/api/v1/orders?broker=paper&status=COMPLETE')).body as {
      orders: { status: string; fills: unknown[] }[];
    };
    for (const o of orders.orders) {
      expect(o.status).toBe('COMPLETE');
      expect(o.fills.length).toBeGreaterThan(0);
    }
    expect((await d.get('/api/v1/orders?state=OPEN')).status).toBe(400);
    await stop(d);

    // The halt is in the journal: the recovered daemon is still halted, and says why.
    d = await startDaemon(ENV, { dataDir: dir.path });
    cleanups.push(() => d.remove());
    await started(d);
    const after = await until(
      async () => {
        const b = (await d.get('/api/v1/brokers')).body as { brokers: { state: string }[] };
        return b.brokers[0]?.state === 'HALTED' ? b : undefined;
      },
      10_000,
      'the recovered broker state',
    );
    expect(after).toMatchObject({
      brokers: [
        {
          state: 'HALTED',
          reason: 'end of day',
          strategies: { ema_cross_tcs: { state: 'REDUCING' } },
        },
      ],
    });
    const resumed = await post(d, '/api/v1/brokers/paper/resume', {});
    expect(resumed.body).toMatchObject({ brokers: [{ state: 'ACTIVE' }] });
    const killed = await post(d, '/api/v1/kill', { reason: 'panic button' });
    expect(killed.status).toBe(200);
    expect(killed.body).toMatchObject({
      brokers: [{ state: 'HALTED', reason: 'kill switch: panic button' }],
    });
    const open = (await d.get('/api/v1/orders?status=OPEN')).body as { orders: unknown[] };
    expect(open.orders).toEqual([]);
    await stop(d);
  });
});
