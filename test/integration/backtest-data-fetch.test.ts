/** `data fetch` against the fake Kite server: chunked by the day limit, 3 requests/s, cached. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSessionStore, sessionKey } from '../../src/brokers/index.js';
import { loadSettings } from '../../src/config/index.js';
import { dataFetch } from '../../src/system/data-fetch.js';
import { openHistory } from '../../src/feed/history/index.js';
import { SeededRandom } from '../../src/runtime/index.js';
import { loadInstruments, nearest } from '../../src/config/index.js';
import { FakeKite } from '../fake-kite/index.js';

const KEY = '11'.repeat(32);

describe('data fetch', () => {
  let fake: FakeKite;
  let dataDir: string;
  beforeAll(async () => {
    fake = await FakeKite.start();
    dataDir = mkdtempSync(join(tmpdir(), 'ap-fetch-'));
    new FileSessionStore(join(dataDir, 'zerodha-session.enc'), sessionKey(KEY)).save({
      userId: 'AB1234',
      accessToken: fake.issueToken(),
      loginAt: 0,
      expiresAt: 0,
    });
  });
  afterAll(async () => fake?.close());

  const fetchSettings = () =>
    loadSettings({
      DATA_DIR: dataDir,
      ZERODHA__API_KEY: fake.apiKey,
      ZERODHA__SESSION_KEY: KEY,
      ZERODHA__API_URL: fake.restUrl,
    });
  /** The limiter's clock: time moves only when it sleeps, so the spacing is the limiter's own. */
  const sleepingClock = () => {
    let t = Date.UTC(2026, 6, 1);
    return { now: () => t, sleep: async (ms: number) => void (t += ms) };
  };

  it('splits 150 days of minute candles into 3 requests at most 3 a second, then reads them from the cache', async () => {
    const settings = fetchSettings();
    const clock = sleepingClock();
    const at: number[] = [];
    const opts = {
      instrument: 'RELIANCE',
      interval: 'minute',
      from: '2026-01-01',
      until: '2026-05-30',
      clock,
      onRequest: (r: { at: number }) => at.push(r.at),
    };
    const first = await dataFetch(settings, opts);
    const asked = fake.requests.filter((r) => r.path === '/instruments/historical/738561/minute');
    expect(asked.map((r) => [r.body['from'], r.body['to']])).toEqual([
      ['2026-01-01 00:00:00', '2026-03-01 23:59:59'],
      ['2026-03-02 00:00:00', '2026-04-30 23:59:59'],
      ['2026-05-01 00:00:00', '2026-05-30 23:59:59'],
    ]);
    expect(first).toMatchObject({ requests: 3, cached: 0, token: 738561 });
    expect(at).toHaveLength(3);
    for (let i = 1; i < at.length; i++)
      expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(1000 / 3);
    expect(existsSync(join(dataDir, 'history', '738561', 'minute'))).toBe(true);

    const second = await dataFetch(settings, opts);
    expect(second).toMatchObject({ requests: 0, cached: 3, candles: first.candles });
    expect(fake.requests.filter((r) => r.path.startsWith('/instruments/historical/'))).toHaveLength(
      3,
    );

    // The CSV is what `backtest --data` reads.
    expect(first.file).toBe(join(dataDir, 'history', '738561-minute.csv'));
    expect(readFileSync(first.file, 'utf8').split('\n')[0]).toBe('date,open,high,low,close,volume');
    const src = await openHistory({
      data: first.file,
      known: loadInstruments('config'),
      random: new SeededRandom(1),
      suggest: (n, c) => nearest(n, c),
    });
    expect(src.instruments.map((i) => i.token)).toEqual([738561]);
  });

  it('asks again after a 429, backing off on its clock, and gives up after its retries', async () => {
    const settings = fetchSettings();
    const clock = sleepingClock();
    const at: number[] = [];
    const opts = {
      instrument: 'TCS',
      interval: 'day',
      from: '2026-01-05',
      until: '2026-01-09',
      clock,
      onRequest: (r: { at: number }) => at.push(r.at),
    };
    const t0 = clock.now();
    fake.script.throttleHistorical = 2;
    const got = await dataFetch(settings, opts);
    expect(got).toMatchObject({ requests: 3, cached: 0, candles: 5 });
    // Refused twice, then answered: 1 s, then 2 s later.
    expect(at.map((a) => a - t0)).toEqual([0, 1000, 3000]);

    fake.script.throttleHistorical = 100;
    await expect(dataFetch(settings, { ...opts, until: '2026-01-16' })).rejects.toThrow(
      /429|Too many requests/,
    );
    fake.script.throttleHistorical = 0;
  });
});
