/**
 * renderReportHtml: one self-contained HTML page of a backtest report: summary, equity curve,
 * drawdown, a price chart per instrument with its fills, and the tables. No external resource
 * (no script, font or stylesheet URL); a CSP that allows inline styles only. Every text from
 * the journal is escaped.
 */
import type { BacktestReport, PriceMarker } from '../report-types.js';
import { escapeHtml as e, istTime, percent, ratio, rupees } from './format.js';
import { lineChart } from './svg-chart.js';

/** Rows of the trades table shown at most; the JSON report holds them all. */
const MAX_TRADE_ROWS = 2000;

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#111;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#555;margin-bottom:16px}
table{border-collapse:collapse;margin:4px 0 12px}
th,td{border-bottom:1px solid #e5e7eb;padding:4px 10px;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}th{background:#f3f4f6}
td.pos{color:#047857}td.neg{color:#b91c1c}
.summary td:nth-child(2){font-weight:600}
svg.chart{display:block;margin:8px 0;max-width:100%;height:auto}
svg .title{font-weight:600;font-size:13px}svg .axis{font-size:11px;fill:#555}
svg .plot{fill:#fafafa;stroke:#e5e7eb}svg .empty{fill:#999;text-anchor:middle}
svg .marker.buy{fill:#047857}svg .marker.sell{fill:#b91c1c}
.note{color:#555}
`;

function cls(v: number): string {
  return v > 0 ? ' class="pos"' : v < 0 ? ' class="neg"' : '';
}

function money(v: number): string {
  return `<td${cls(v)}>${e(rupees(v))}</td>`;
}

function table(head: readonly string[], rows: readonly string[], attrs = ''): string {
  const th = head.map((h) => `<th>${e(h)}</th>`).join('');
  return `<table${attrs}><thead><tr>${th}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function summary(r: BacktestReport): string {
  const dd = r.maxDrawdown;
  const rows: [string, string][] = [
    ['Starting equity', rupees(r.startingEquity)],
    ['Ending equity', rupees(r.endingEquity)],
    ['Net PnL (after charges)', rupees(r.netPnl)],
    ['Return', percent(r.return)],
    ['Max drawdown', `${percent(dd.fraction)} (${rupees(dd.paise)})`],
    ['Drawdown peak → trough (IST)', `${istTime(dd.peakTs)} → ${istTime(dd.troughTs)}`],
    ['Sharpe (daily, ×√252)', ratio(r.sharpe)],
    ['Sortino (daily, ×√252)', ratio(r.sortino)],
    ['Trades', String(r.trades.length)],
    ['Win rate', percent(r.winRate)],
    ['Profit factor', ratio(r.profitFactor)],
    ['Exposure', percent(r.exposure)],
    ['Charges paid', rupees(r.chargesPaid)],
    [
      'Signals / orders / fills / cancels',
      `${r.signals} / ${r.orders} / ${r.fills} / ${r.cancels}`,
    ],
    ['IST days', String(r.run.days)],
  ];
  return table(
    ['Figure', 'Value'],
    rows.map(([k, v]) => `<tr><td>${e(k)}</td><td data-figure="${e(k)}">${e(v)}</td></tr>`),
    ' class="summary"',
  );
}

function markerLabel(m: PriceMarker, symbol: string): string {
  return `${m.kind} ${m.side} ${m.quantity} ${symbol} @ ${rupees(m.price)} (${m.strategyId}) ${istTime(m.ts)} IST`;
}

function charts(r: BacktestReport): string {
  const out = [
    lineChart({
      id: 'equity',
      title: 'Equity (all portfolios)',
      points: r.equity.map((p) => ({ ts: p.ts, value: p.equity })),
      format: rupees,
      area: 'below',
    }),
    lineChart({
      id: 'drawdown',
      title: 'Drawdown (below the running peak)',
      points: r.drawdown.map((p) => ({ ts: p.ts, value: -p.drawdown })),
      format: (v) => percent(-v),
      area: 'above',
      color: '#b91c1c',
      height: 180,
    }),
  ];
  for (const s of r.prices)
    out.push(
      lineChart({
        id: `price-${s.token}`,
        title: `${s.symbol} (${s.token}): last price and fills`,
        points: s.points.map((p) => ({ ts: p.ts, value: p.price })),
        format: rupees,
        color: '#374151',
        markers: s.markers.map((m) => ({
          ts: m.ts,
          value: m.price,
          side: m.side,
          label: markerLabel(m, s.symbol),
        })),
      }),
    );
  return out.join('\n');
}

function tables(r: BacktestReport): string {
  const portfolios = table(
    [
      'Broker',
      'Strategy',
      'Starting cash',
      'Ending equity',
      'Return',
      'Realized',
      'Unrealized',
      'Charges',
      'Trades',
      'Fills',
    ],
    r.portfolios.map(
      (p) =>
        `<tr><td>${e(p.broker)}</td><td>${e(p.strategyId)}</td><td>${e(rupees(p.startingCash))}</td><td>${e(rupees(p.endingEquity))}</td><td${cls(p.return)}>${e(percent(p.return))}</td>${money(p.realized)}${money(p.unrealized)}<td>${e(rupees(p.charges))}</td><td>${p.trades}</td><td>${p.fills}</td></tr>`,
    ),
  );
  const instruments = table(
    ['Instrument', 'Token', 'Trades', 'Net PnL', 'Charges'],
    r.perInstrument.map(
      (i) =>
        `<tr><td>${e(i.symbol)}</td><td>${i.token}</td><td>${i.trades}</td>${money(i.netPnl)}<td>${e(rupees(i.charges))}</td></tr>`,
    ),
  );
  const shown = r.trades.slice(0, MAX_TRADE_ROWS);
  const trades = table(
    [
      'Strategy',
      'Broker',
      'Instrument',
      'Side',
      'Qty',
      'Entry (IST)',
      'Entry price',
      'Exit (IST)',
      'Exit price',
      'Gross',
      'Charges',
      'Net',
    ],
    shown.map(
      (t) =>
        `<tr><td>${e(t.strategyId)}</td><td>${e(t.broker)}</td><td>${e(t.symbol)}</td><td>${t.side}</td><td>${t.quantity}</td><td>${istTime(t.entryTs)}</td><td>${e(rupees(t.entryPrice))}</td><td>${istTime(t.exitTs)}</td><td>${e(rupees(t.exitPrice))}</td>${money(t.grossPnl)}<td>${e(rupees(t.charges))}</td>${money(t.netPnl)}</tr>`,
    ),
    ' data-table="trades"',
  );
  const more =
    r.trades.length > shown.length
      ? `<p class="note">${r.trades.length - shown.length} more trades are in the JSON report.</p>`
      : '';
  const open = table(
    [
      'Strategy',
      'Broker',
      'Instrument',
      'Side',
      'Qty',
      'Since (IST)',
      'Avg entry',
      'Last price',
      'Unrealized',
    ],
    r.openPositions.map(
      (o) =>
        `<tr><td>${e(o.strategyId)}</td><td>${e(o.broker)}</td><td>${e(o.symbol)}</td><td>${o.side}</td><td>${o.quantity}</td><td>${istTime(o.entryTs)}</td><td>${e(rupees(o.averageEntryPrice))}</td><td>${e(rupees(o.lastPrice))}</td>${money(o.unrealizedPnl)}</tr>`,
    ),
  );
  const rejections = table(
    ['Code', 'Refusals'],
    Object.entries(r.rejections).map(([code, n]) => `<tr><td>${e(code)}</td><td>${n}</td></tr>`),
  );
  return [
    '<h2>Portfolios</h2>',
    portfolios,
    '<h2>Instruments</h2>',
    instruments,
    `<h2>Trades (${r.trades.length})</h2>`,
    trades,
    more,
    '<h2>Open positions at the end</h2>',
    open,
    '<h2>Rejections by code</h2>',
    rejections,
  ].join('\n');
}

/** The report as one self-contained HTML page. */
export function renderReportHtml(report: BacktestReport, options: { title?: string } = {}): string {
  const title = options.title ?? 'Backtest report';
  const runs =
    report.runsInJournal > 1
      ? ` The journal holds ${report.runsInJournal} runs; this is the last one.`
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${e(title)}</h1>
<p class="meta">Run from seq ${report.run.fromSeq} to ${report.run.toSeq}, seed ${report.run.seed}: ${istTime(report.run.startTs)} to ${istTime(report.run.endTs)} IST.${e(runs)} Money in rupees; figures net of charges unless named gross.</p>
<h2>Summary</h2>
${summary(report)}
<h2>Charts</h2>
${charts(report)}
${tables(report)}
</body></html>
`;
}
