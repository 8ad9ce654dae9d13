import { describe, expect, it } from 'vitest';
import type { BacktestReport } from '../report-types.js';
import { escapeHtml, istTime, rupees } from './format.js';
import { renderReportHtml } from './render-html.js';

const T0 = Date.UTC(2026, 0, 5, 3, 45);
const HOSTILE = '<script>alert("x")</script>';

/** A small report whose strategy id and symbol are markup. */
function report(): BacktestReport {
  const trade = {
    broker: 'paper' as const,
    strategyId: HOSTILE,
    token: 738561,
    symbol: '<b>REL</b>',
    side: 'LONG' as const,
    quantity: 10,
    entryTs: T0,
    entryPrice: 100_050,
    exitTs: T0 + 60_000,
    exitPrice: 100_950,
    grossPnl: 9_000,
    charges: 200,
    netPnl: 8_800,
  };
  return {
    runsInJournal: 2,
    run: { fromSeq: 7, toSeq: 99, seed: 3, startTs: T0, endTs: T0 + 120_000, days: 1 },
    startingEquity: 100_000_000,
    endingEquity: 100_008_800,
    return: 0.000088,
    netPnl: 8_800,
    trades: [trade],
    openPositions: [],
    portfolios: [
      {
        broker: 'paper',
        strategyId: HOSTILE,
        startingCash: 100_000_000,
        endingEquity: 100_008_800,
        return: 0.000088,
        realized: 9_000,
        unrealized: 0,
        charges: 200,
        trades: 1,
        fills: 2,
      },
    ],
    perInstrument: [
      { token: 738561, symbol: '<b>REL</b>', trades: 1, netPnl: 8_800, charges: 200 },
    ],
    equity: [
      { ts: T0, equity: 100_000_000 },
      { ts: T0 + 1_000, equity: 99_999_400 },
      { ts: T0 + 60_000, equity: 100_008_800 },
    ],
    drawdown: [
      { ts: T0, drawdown: 0 },
      { ts: T0 + 1_000, drawdown: 0.000006 },
      { ts: T0 + 60_000, drawdown: 0 },
    ],
    maxDrawdown: { fraction: 0.000006, paise: 600, peakTs: T0, troughTs: T0 + 1_000 },
    sharpe: 1.23456,
    sortino: null,
    winRate: 1,
    profitFactor: null,
    exposure: 0.5,
    chargesPaid: 200,
    rejections: { INSUFFICIENT_CASH: 4 },
    signals: 3,
    orders: 2,
    fills: 2,
    cancels: 0,
    prices: [
      {
        token: 738561,
        symbol: '<b>REL</b>',
        points: [
          { ts: T0, price: 100_000 },
          { ts: T0 + 60_000, price: 101_000 },
        ],
        markers: [
          { ts: T0, price: 100_050, side: 'BUY', quantity: 10, kind: 'ENTRY', strategyId: HOSTILE },
          {
            ts: T0 + 60_000,
            price: 100_950,
            side: 'SELL',
            quantity: 10,
            kind: 'EXIT',
            strategyId: HOSTILE,
          },
        ],
      },
    ],
  };
}

describe('format', () => {
  it('writes paise as rupees with Indian grouping', () => {
    expect(rupees(100_000_000)).toBe('₹10,00,000.00');
    expect(rupees(-123_456_789)).toBe('−₹12,34,567.89');
    expect(rupees(5)).toBe('₹0.05');
    expect(rupees(99_999)).toBe('₹999.99');
  });

  it('escapes markup and writes IST times', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
    expect(istTime(T0)).toBe('2026-01-05 09:15:00');
  });
});

describe('renderReportHtml', () => {
  const html = renderReportHtml(report(), { title: 'Run <1>' });

  it('loads nothing from outside the page', () => {
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    );
  });

  it('escapes every text from the journal', () => {
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toContain('<b>REL</b>');
    expect(html).toContain(escapeHtml(HOSTILE));
    expect(html).toContain('&lt;b&gt;REL&lt;/b&gt;');
    expect(html).toContain('<title>Run &lt;1&gt;</title>');
  });

  it('shows the figures, the charts and the tables', () => {
    for (const text of [
      '₹10,00,088.00', // ending equity
      '₹88.00', // net PnL
      '0.01%', // return 0.0088%
      '0.00% (₹6.00)', // max drawdown
      '1.23', // Sharpe
      '100.00%', // win rate
      '50.00%', // exposure
      '₹2.00', // charges
      'INSUFFICIENT_CASH</td><td>4',
      '3 / 2 / 2 / 0',
      'holds 2 runs',
    ])
      expect(html).toContain(text);
    expect(html).toMatch(/data-chart="equity"[^]*data-points="3"/);
    expect(html).toContain('data-chart="drawdown"');
    expect(html).toContain('data-chart="price-738561"');
    expect(html.match(/class="marker buy"/g)).toHaveLength(1);
    expect(html.match(/class="marker sell"/g)).toHaveLength(1);
  });

  it('is the same page for the same report', () => {
    expect(renderReportHtml(report(), { title: 'Run <1>' })).toBe(html);
  });
});
