/**
 * The backtest report end to end: `backtest --data` over 13 hand-made candles gives the 3 round
 * trips, charges and ratios computed by hand below; the shipped sample gives byte-identical JSON
 * and HTML twice; and its large JSON arrives whole through a pipe that is read slowly.
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/system.js';

const run = promisify(execFile);
const MAIN = join(ROOT, 'dist', 'main.js');
const FIXTURE = join('test', 'fixtures', 'hand-checked');
const dirs: { remove: () => void }[] = [];
afterAll(() => dirs.forEach((d) => d.remove()));

/** The paper broker settings the hand computation assumes, set explicitly. */
const ENV = {
  PATH: process.env.PATH ?? '',
  PAPER_TRADING__SLIPPAGE_PERCENT: '0.05',
  PAPER_TRADING__CHARGES_MODEL: 'zerodha',
  PAPER_TRADING__PRODUCT: 'CNC',
  PAPER_TRADING__STARTING_CASH: '1000000',
  PAPER_TRADING__LATENCY_MS: '0',
  PAPER_TRADING__LATENCY_JITTER_MS: '0',
};

async function backtest(...args: string[]): Promise<{ stdout: string; json: Result }> {
  const { stdout } = await run(process.execPath, [MAIN, 'backtest', ...args], {
    cwd: ROOT,
    env: ENV,
    maxBuffer: 64 << 20,
  });
  return { stdout, json: JSON.parse(stdout) as Result };
}

interface Result {
  signals: number;
  orders: number;
  fills: number;
  rejections: number;
  report: {
    trades: Record<string, unknown>[];
    [k: string]: unknown;
  };
}

const ist = (hhmm: string, day: '03' | '04'): number =>
  Date.parse(`2026-02-${day}T${hhmm}:00+05:30`);

/*
 * The hand computation. Momentum over 2 prices: m = price / previous price − 1; BUY 10 when
 * m > 0.5% and nothing is held, SELL what is held when m < −0.5%.
 *
 *   3 Feb 09:30 1000  first price, no signal      4 Feb 09:30 1021  m = 0
 *         09:31 1010  m = +1.00%  BUY  (trade 1)        09:31 1030  m = +0.88%  BUY  (trade 3)
 *         09:32 1012  m = +0.20%                        09:32 1050  m = +1.94%  (holds 10)
 *         09:33 1000  m = −1.19%  SELL (trade 1)        09:33 1040  m = −0.95%  SELL (trade 3)
 *         09:34 1010  m = +0.99%  BUY  (trade 2)        09:34 1045  m = +0.48%  below 0.5%
 *         09:35 1030  m = +1.98%  (holds 10)
 *         09:36 1020  m = −0.97%  SELL (trade 2)
 *         09:37 1021  m = +0.10%
 *
 * Fills (no latency: on the book of the signal's own tick). A BUY takes the best ask, LTP + 5
 * paise; a SELL the best bid, LTP − 5; slippage 5 bps of that price moves it against the side,
 * rounded half away from zero:
 *   BUY  @101000: ask 101005, 101005 × 5 / 10^4 = 50.5025 → 51, fill 101056
 *   SELL @100000: bid  99995,  99995 × 5 / 10^4 = 49.9975 → 50, fill  99945
 *   SELL @102000: bid 101995, 101995 × 5 / 10^4 = 50.9975 → 51, fill 101944
 *   BUY  @103000: ask 103005, 103005 × 5 / 10^4 = 51.5025 → 52, fill 103057
 *   SELL @104000: bid 103995, 103995 × 5 / 10^4 = 51.9975 → 52, fill 103943
 *
 * Charges, Zerodha CNC (config/charges/zerodha-equity.yaml): brokerage 0; STT 0.1% each side;
 * NSE 0.00297%; SEBI 0.0001%; stamp 0.015% on buys; GST 18% of (NSE + SEBI) unrounded; DP 1534
 * on the first CNC sell of the scrip on an IST day. Each rounded half away from zero.
 *   BUY  10 @101056 = 1010560: STT 1010.56→1011, NSE 30.0136→30, SEBI 1.0106→1,
 *        stamp 151.584→152, GST 0.18 × 31.0242 = 5.584→6                       total 1200
 *   SELL 10 @ 99945 =  999450: STT 999.45→999, NSE 29.6837→30, SEBI 0.9995→1,
 *        GST 0.18 × 30.6831 = 5.523→6, DP 1534 (first sell on 3 Feb)          total 2570
 *   SELL 10 @101944 = 1019440: STT 1019.44→1019, NSE 30.2774→30, SEBI 1.0194→1,
 *        GST 0.18 × 31.2968 = 5.633→6, no DP (second sell on 3 Feb)           total 1056
 *   BUY  10 @103057 = 1030570: STT 1030.57→1031, NSE 30.6079→31, SEBI 1.0306→1,
 *        stamp 154.5855→155, GST 0.18 × 31.6385 = 5.695→6                      total 1224
 *   SELL 10 @103943 = 1039430: STT 1039.43→1039, NSE 30.8711→31, SEBI 1.0394→1,
 *        GST 0.18 × 31.9105 = 5.744→6, DP 1534 (first sell on 4 Feb)          total 2611
 *
 * Trades: gross = (exit − entry) × 10; charges = entry fees + exit fees; net = gross − charges.
 *   1: (99945 − 101056) × 10 = −11110; 1200 + 2570 = 3770; −14880
 *   2: (101944 − 101056) × 10 =  8880; 1200 + 1056 = 2256;   6624
 *   3: (103943 − 103057) × 10 =  8860; 1224 + 2611 = 3835;   5025
 */
const TRADES = [
  [ist('09:31', '03'), 101056, ist('09:33', '03'), 99945, -11110, 3770, -14880],
  [ist('09:34', '03'), 101056, ist('09:36', '03'), 101944, 8880, 2256, 6624],
  [ist('09:31', '04'), 103057, ist('09:33', '04'), 103943, 8860, 3835, 5025],
].map(([entryTs, entryPrice, exitTs, exitPrice, grossPnl, charges, netPnl]) => ({
  broker: 'paper',
  strategyId: 'momentum_reliance',
  token: 738561,
  symbol: 'RELIANCE',
  side: 'LONG',
  quantity: 10,
  ...{ entryTs, entryPrice, exitTs, exitPrice, grossPnl, charges, netPnl },
}));

/*
 * Equity (starting cash ₹10,00,000 = 10^8 paise), sampled at the first tick, after each fill
 * (a position marked at its fill, the latest price), at each day's last tick:
 *   09:30 first tick                                   100000000  (the peak throughout)
 *   09:31 cash 10^8 − 1010560 − 1200 = 98988240, + 1010560 = 99998800
 *   09:33 cash 98988240 + 999450 − 2570 = 99985120               99985120
 *   09:34 cash 99985120 − 1010560 − 1200 = 98973360, + 1010560 = 99983920  (the trough)
 *   09:36 cash 98973360 + 1019440 − 1056 = 99991744              99991744
 *   09:37 last tick of 3 Feb                                     99991744
 *   4 Feb 09:31 cash 99991744 − 1030570 − 1224 = 98959950, + 1030570 = 99990520
 *   4 Feb 09:33 cash 98959950 + 1039430 − 2611 = 99996769        99996769
 *   4 Feb 09:34 last tick                                        99996769
 * Net PnL −14880 + 6624 + 5025 = −3231 = 99996769 − 10^8; realized gross −11110 + 8880 + 8860 =
 * 6630; charges 3770 + 2256 + 3835 = 9861 (6630 − 9861 = −3231).
 * Max drawdown 10^8 − 99983920 = 16080 paise, 16080 / 10^8 = 0.0001608 of the peak.
 * Win rate 2 / 3; profit factor (6624 + 5025) / 14880 = 11649 / 14880.
 * Exposure: 3 positions held 2 minutes each, 6 minutes of the run's 1444 (3 Feb 09:30 to 4 Feb
 * 09:34 is 24 h + 4 min).
 * Daily returns over 10^8 → 99991744 → 99996769: r1 = −8256 / 10^8, r2 = 5025 / 99991744.
 * mean −1.6153e-5; sample sd |r1 − r2| / √2 = 9.3914e-5, Sharpe −0.17200 × √252 ≈ −2.7304;
 * downside deviation √((r1² + 0) / 2) = 5.8379e-5, Sortino −0.27669 × √252 ≈ −4.3923.
 */
const START = 100_000_000;
const END = 99_996_769;
const R = [-8256 / START, 5025 / 99_991_744];
const MEAN = (R[0]! + R[1]!) / 2;
/** Sample standard deviation of two values: |a − b| / √2; downside deviation √(r1² / 2). */
const SHARPE = (MEAN / (Math.abs(R[0]! - R[1]!) / Math.SQRT2)) * Math.sqrt(252);
const SORTINO = (MEAN / Math.sqrt((R[0]! * R[0]!) / 2)) * Math.sqrt(252);

/** The hand-made candles with `args`; the report of the run and its HTML page. */
async function handChecked(...args: string[]): Promise<{ json: Result; html: string }> {
  const dir = tempDir('ap-hand-checked-');
  dirs.push(dir);
  const html = join(dir.path, 'report.html');
  const { json } = await backtest(
    ...['--data', join(FIXTURE, 'RELIANCE-minute.csv')],
    ...['--config', join(FIXTURE, 'strategies.yaml'), '--report', html, ...args],
  );
  return { json, html: readFileSync(html, 'utf8') };
}

function expectHandFigures(r: Result): void {
  expect(r).toMatchObject({ signals: 6, orders: 6, fills: 6, rejections: 0 });
  const p = r.report;
  expect(p.trades).toEqual(TRADES);
  expect(p).toMatchObject({
    startingEquity: START,
    endingEquity: END,
    netPnl: -3231,
    chargesPaid: 9861,
    openPositions: [],
    rejections: {},
    maxDrawdown: {
      paise: 16080,
      fraction: 16080 / START,
      peakTs: ist('09:30', '03'),
      troughTs: ist('09:34', '03'),
    },
    portfolios: [
      {
        broker: 'paper',
        strategyId: 'momentum_reliance',
        startingCash: START,
        endingEquity: END,
        realized: 6630,
        unrealized: 0,
        charges: 9861,
        trades: 3,
        fills: 6,
      },
    ],
    perInstrument: [{ token: 738561, symbol: 'RELIANCE', trades: 3, netPnl: -3231, charges: 9861 }],
  });
  expect(p.return).toBeCloseTo(-3231 / START, 15);
  expect(p.winRate).toBeCloseTo(2 / 3, 15);
  expect(p.profitFactor).toBeCloseTo(11649 / 14880, 15);
  expect(p.exposure).toBeCloseTo(6 / 1444, 15);
  // Eᵢ / Eᵢ₋₁ − 1 loses about 12 digits to cancellation; 9 decimals still pin the figure.
  expect(p.sharpe).toBeCloseTo(SHARPE, 9);
  expect(p.sortino).toBeCloseTo(SORTINO, 9);
}

describe('the report of a backtest checked by hand', () => {
  it('trades on the rates the hand computation used', () => {
    const rates = parse(
      readFileSync(join(ROOT, 'config', 'charges', 'zerodha-equity.yaml'), 'utf8'),
    ) as Record<string, unknown>;
    expect(rates).toMatchObject({
      CNC: {
        brokerage_per_crore: 0,
        stt_buy_per_crore: 10000,
        stt_sell_per_crore: 10000,
        stamp_duty_buy_per_crore: 1500,
      },
      nse_transaction_per_crore: 297,
      sebi_per_crore: 10,
      gst_percent: 18,
      dp_charge_paise: 1534,
    });
  });

  it('gives the 3 trades, charges, equity and ratios computed by hand, one tick per batch', async () => {
    const { json, html } = await handChecked('--batch', '1');
    expectHandFigures(json);
    const rows = /data-table="trades"[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
    expect(rows.match(/<tr/g)).toHaveLength(3);
  }, 60_000);

  // A signal must fill on the book of the tick it was taken on, whatever the delivery batch: in
  // one batch of a day's minutes, the broker must not see later minutes before the order.
  it('gives the same figures with the default batch of 100 ticks', async () => {
    const { json } = await handChecked();
    expectHandFigures(json);
  }, 60_000);
});

describe('the report of the shipped sample', () => {
  it('is byte-identical, JSON and HTML, when run twice with the same seed', async () => {
    const a = tempDir('ap-sample-a-');
    const b = tempDir('ap-sample-b-');
    dirs.push(a, b);
    const args = ['--data', 'data/samples', '--seed', '7', '--report'];
    const first = await backtest(...args, join(a.path, 'report.html'));
    const second = await backtest(...args, join(b.path, 'report.html'));
    expect(first.json.report.trades.length).toBeGreaterThan(100);
    expect(second.stdout).toBe(first.stdout);
    const html = readFileSync(join(a.path, 'report.html'));
    expect(readFileSync(join(b.path, 'report.html')).equals(html)).toBe(true);
    expect(html.toString('utf8')).toMatch(/^<!doctype html>/i);
  }, 120_000);

  it('arrives whole through a pipe its reader stops reading', async () => {
    const child = spawn(process.execPath, [MAIN, 'backtest', '--data', 'data/samples'], {
      cwd: ROOT,
      env: ENV,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const chunks: Buffer[] = [];
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const closed = new Promise<void>((resolve) => child.stdout.once('close', resolve));
    // Once the result starts to arrive, stop reading until the child has exited (or 2 s have
    // passed): a child that exits without waiting for its stdout to drain loses what the pipe
    // could not hold.
    const started = new Promise<void>((resolve) =>
      child.stdout.once('data', (c: Buffer) => {
        chunks.push(c);
        child.stdout.pause();
        resolve();
      }),
    );
    await started;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 2_000)))]);
    clearTimeout(timer);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stdout.resume();
    await closed;
    expect(await exited).toBe(0);
    const out = Buffer.concat(chunks).toString('utf8');
    expect(out.length).toBeGreaterThan(200 * 1024);
    const result = JSON.parse(out) as Result;
    expect(result.fills).toBeGreaterThan(0);
    expect(result.report.trades.length).toBeGreaterThan(100);
  }, 120_000);
});
