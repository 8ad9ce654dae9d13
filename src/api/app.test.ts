import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  MARKET_TICKS,
  paise,
  strategyId,
  topics,
  type JournalRecord,
  type PortfolioSnapshot,
} from '../model/index.js';
import { PortfolioReadModel } from '../readmodel/index.js';
import { tickRecords } from '../../test/helpers/journal-records.js';
import { makeTick } from '../../test/helpers/ticks.js';
import type { ReadinessCheck } from '../system/index.js';
import { createApp } from './app.js';
import type { PortfolioResponse } from './routes/portfolios.js';
import type { StrategyControl, StrategyView } from '../system/index.js';
import { testAuth } from '../../test/helpers/api.js';

const RELIANCE = 738561;
const TCS = 2953217;
const SID = 'ema_cross_reliance';

/** 10 RELIANCE long at ₹1,400.00 and 5 TCS short at ₹3,200.00, ₹12.05 of fees, one realized loss. */
const SNAP: PortfolioSnapshot = {
  type: 'PortfolioSnapshot',
  broker: 'paper',
  strategyId: strategyId(SID),
  cash: paise(100_000_000 - 1_400_000 + 1_600_000 - 1_205),
  fees: paise(1_205),
  realizedPnl: paise(-1_205),
  unrealizedPnl: paise(0),
  positions: [
    {
      token: RELIANCE,
      quantity: 10,
      averagePrice: paise(140_000),
      costBasis: paise(1_400_000),
      lastPrice: paise(140_000),
      realizedPnl: paise(0),
      unrealizedPnl: paise(0),
    },
    {
      token: TCS,
      quantity: -5,
      averagePrice: paise(320_000),
      costBasis: paise(-1_600_000),
      lastPrice: paise(320_000),
      realizedPnl: paise(0),
      unrealizedPnl: paise(0),
    },
  ],
  fills: 2,
  dayPnl: paise(0),
};

function snapshotRecord(seq: number, snap: PortfolioSnapshot): JournalRecord {
  return {
    seq,
    ts: 1_767_584_700_000 + seq,
    type: 'PortfolioSnapshot',
    topic: topics.portfolioSnapshots(snap.broker),
    source: `portfolio:${snap.broker}:${snap.strategyId}`,
    target: null,
    correlationSeq: 1,
    causationSeq: seq - 1,
    broker: snap.broker,
    key: `${snap.broker}:${snap.strategyId}`,
    data: snap,
  };
}

type PortfolioJson = PortfolioResponse;

/** What every app needs besides its sources: a logger, its HOST and the body limit. */
const BASE = {
  log: pino({ level: 'silent' }),
  host: '127.0.0.1',
  maxBodyBytes: 1 << 20,
  auth: testAuth(),
};

/** A read-only strategy control over `list`. */
function control(list: readonly StrategyView[]): StrategyControl {
  return {
    list: () => [...list],
    get: (id) => list.find((s) => s.id === id),
    change: () => Promise.reject(new Error('not in this test')),
    applyRow: () => ({ seq: null }),
  };
}
const cfg = { enabled: true, params: {}, instruments: [738561], brokers: ['paper'] };

/** A read model fed from journal records: ticks, the snapshot, then later ticks. */
function fixture(readiness: ReadinessCheck[] = []) {
  const rm = new PortfolioReadModel();
  const records = [
    ...tickRecords(1, [makeTick(RELIANCE, 139_000), makeTick(TCS, 321_000)]),
    snapshotRecord(3, SNAP),
    ...tickRecords(4, [makeTick(RELIANCE, 141_005)]),
    ...tickRecords(5, [makeTick(TCS, 319_000), makeTick(RELIANCE, 141_050)]),
  ];
  expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(records.filter((r) => r.topic === MARKET_TICKS)).toHaveLength(5);
  for (const r of records) rm.apply(r);
  return { rm, app: createApp({ ...BASE, portfolios: rm, readiness }) };
}

async function json<T>(res: Response): Promise<T> {
  expect(res.headers.get('content-type')).toContain('application/json');
  return (await res.json()) as T;
}

describe('GET /api/v1/portfolios/:broker/:strategyId', () => {
  it('returns money as rupee strings and integer paise, marked to the latest tick', async () => {
    const { app } = fixture();
    const res = await app.request(`/api/v1/portfolios/paper/${SID}`);
    expect(res.status).toBe(200);
    const body = await json<PortfolioJson>(res);
    // RELIANCE: 10 × 1,410.50 − 14,000.00 = 105.00; TCS: −5 × 3,190.00 + 16,000.00 = 50.00.
    const relU = 10 * 141_050 - 1_400_000;
    const tcsU = -5 * 319_000 - -1_600_000;
    expect([relU, tcsU]).toEqual([10_500, 5_000]);
    expect(body).toEqual({
      broker: 'paper',
      strategyId: SID,
      cash: { rupees: '1001987.95', paise: 100_198_795 },
      buyingPower: { rupees: '1001987.95', paise: 100_198_795 },
      fees: { rupees: '12.05', paise: 1_205 },
      realizedPnl: { rupees: '-12.05', paise: -1_205 },
      unrealizedPnl: { rupees: '155.00', paise: relU + tcsU },
      totalPnl: { rupees: '142.95', paise: relU + tcsU - 1_205 },
      // The snapshot's day PnL (0) moved by the marks since it was taken.
      dayPnl: { rupees: '155.00', paise: relU + tcsU },
      fills: 2,
      asOfSeq: 3,
      openOrders: [],
      positions: [
        {
          instrumentToken: RELIANCE,
          quantity: 10,
          averagePrice: { rupees: '1400.00', paise: 140_000 },
          lastPrice: { rupees: '1410.50', paise: 141_050 },
          realizedPnl: { rupees: '0.00', paise: 0 },
          unrealizedPnl: { rupees: '105.00', paise: relU },
        },
        {
          instrumentToken: TCS,
          quantity: -5,
          averagePrice: { rupees: '3200.00', paise: 320_000 },
          lastPrice: { rupees: '3190.00', paise: 319_000 },
          realizedPnl: { rupees: '0.00', paise: 0 },
          unrealizedPnl: { rupees: '50.00', paise: tcsU },
        },
      ],
    });
  });

  it('follows new ticks and newer snapshots', async () => {
    const { rm, app } = fixture();
    for (const r of tickRecords(7, [makeTick(RELIANCE, 138_000)])) rm.apply(r);
    let body = await json<PortfolioJson>(await app.request(`/api/v1/portfolios/paper/${SID}`));
    expect(body.positions[0]!.unrealizedPnl).toEqual({ rupees: '-200.00', paise: -20_000 });

    const flat: PortfolioSnapshot = { ...SNAP, positions: [], fills: 3, realizedPnl: paise(-5) };
    rm.apply(snapshotRecord(8, flat));
    body = await json<PortfolioJson>(await app.request(`/api/v1/portfolios/paper/${SID}`));
    expect(body).toMatchObject({
      asOfSeq: 8,
      fills: 3,
      positions: [],
      unrealizedPnl: { rupees: '0.00', paise: 0 },
      totalPnl: { rupees: '-0.05', paise: -5 },
    });
  });

  it('answers 404 with an error body for an unknown strategy', async () => {
    const { app } = fixture();
    for (const path of ['/api/v1/portfolios/paper/nope', '/api/v1/portfolios/zerodha/' + SID]) {
      const res = await app.request(path);
      expect(res.status).toBe(404);
      const body = await json<{ error: { code: string; message: string } }>(res);
      expect(body.error.code).toBe('PORTFOLIO_NOT_FOUND');
      expect(body.error.message).toContain('GET /api/v1/portfolios');
      expect(Object.keys(body)).toEqual(['error']);
    }
  });

  it('answers 400 with an error body for an unknown broker', async () => {
    const { app } = fixture();
    const res = await app.request(`/api/v1/portfolios/kite/${SID}`);
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({
      error: {
        code: 'INVALID_PARAMETER',
        message: 'path parameter broker: expected one of paper, zerodha, received "kite"',
      },
    });
  });

  it('answers 404 NOT_FOUND for an unknown route', async () => {
    const { app } = fixture();
    const res = await app.request('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual({
      error: { code: 'NOT_FOUND', message: 'no route for GET /api/v1/nothing-here' },
    });
  });
});

describe('GET /api/v1/portfolios', () => {
  it('lists every portfolio, declared ones included, sorted by broker and strategy', async () => {
    const { rm, app } = fixture();
    rm.declare({
      ...SNAP,
      strategyId: strategyId('a_first'),
      cash: paise(100_000_000),
      fees: paise(0),
      realizedPnl: paise(0),
      positions: [],
      fills: 0,
    });
    // Declaring an existing portfolio does not replace it.
    rm.declare({ ...SNAP, positions: [], fills: 0 });
    const res = await app.request('/api/v1/portfolios');
    expect(res.status).toBe(200);
    const body = await json<{ portfolios: PortfolioJson[] }>(res);
    expect(body.portfolios.map((p) => [p.strategyId, p.asOfSeq, p.fills])).toEqual([
      ['a_first', 0, 0],
      [SID, 3, 2],
    ]);
    expect(body.portfolios[0]!.cash).toEqual({ rupees: '1000000.00', paise: 100_000_000 });
    expect(body.portfolios[1]!.unrealizedPnl).toEqual({ rupees: '155.00', paise: 15_500 });
  });

  it('lists nothing before any portfolio exists', async () => {
    const app = createApp({ ...BASE, portfolios: new PortfolioReadModel(), readiness: [] });
    expect(await json(await app.request('/api/v1/portfolios'))).toEqual({ portfolios: [] });
  });
});

describe('health and readiness', () => {
  it('GET /health answers ok', async () => {
    const { app } = fixture();
    const res = await app.request('/health');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ status: 'ok' });
  });

  it('GET /ready answers 200 when every check passes and 503 when one reports a problem', async () => {
    let journalProblem: string | null = null;
    const { app } = fixture([
      { name: 'journal', check: () => journalProblem },
      { name: 'feed', check: () => null },
    ]);
    let res = await app.request('/ready');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      ready: true,
      checks: [
        { name: 'journal', ok: true },
        { name: 'feed', ok: true },
      ],
    });

    journalProblem = 'journal backlog 1200000 records exceeds the bound';
    res = await app.request('/ready');
    expect(res.status).toBe(503);
    expect(await json(res)).toEqual({
      ready: false,
      checks: [
        { name: 'journal', ok: false, problem: journalProblem },
        { name: 'feed', ok: true },
      ],
    });
  });
});

describe('GET /api/v1/strategies', () => {
  const list = [
    { id: 'a', type: 'ema_cross', status: 'RUNNING' as const, signals: 3, ...cfg },
    { id: 'b', type: 'momentum', status: 'DISABLED' as const, signals: 0, ...cfg, enabled: false },
  ];
  const app = createApp({
    ...BASE,
    portfolios: new PortfolioReadModel(),
    readiness: [],
    strategies: control(list),
  });

  it('lists every strategy with its status', async () => {
    const res = await app.request('/api/v1/strategies');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ strategies: list });
  });

  it('returns one strategy, and 404 with the fix for an unknown one', async () => {
    expect(await (await app.request('/api/v1/strategies/b')).json()).toEqual(list[1]);
    const res = await app.request('/api/v1/strategies/zzz');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'STRATEGY_NOT_FOUND' } });
  });

  it("shows a faulted strategy's error without local paths", async () => {
    const faulted = createApp({
      ...BASE,
      portfolios: new PortfolioReadModel(),
      readiness: [],
      strategies: control([
        {
          id: 'c',
          type: 'momentum',
          status: 'FAULTED' as const,
          error: "Error: ENOENT: open '/home/trader/alpha-panda/config/c.json'",
          signals: 0,
          ...cfg,
        },
      ]),
    });
    for (const path of ['/api/v1/strategies', '/api/v1/strategies/c']) {
      const text = await (await faulted.request(path)).text();
      expect(text).toContain(`"error":"Error: ENOENT: open '<path>'"`);
      expect(text).not.toContain('/home');
    }
  });

  it('is absent where no strategies run (the API-only process)', async () => {
    const bare = createApp({ ...BASE, portfolios: new PortfolioReadModel(), readiness: [] });
    expect((await bare.request('/api/v1/strategies')).status).toBe(404);
  });
});
