/**
 * A small inline SVG line chart: one series over time, optional fill below it, optional fill
 * markers (a triangle up for a buy, down for a sell), the value range and time range as labels.
 * Nothing external: the SVG is part of the page.
 */
import { escapeHtml, istTime } from './format.js';

export interface ChartMarker {
  readonly ts: number;
  readonly value: number;
  readonly side: 'BUY' | 'SELL';
  /** Tooltip text (escaped here). */
  readonly label: string;
}

export interface ChartSpec {
  /** Names the chart for tests and the page (`data-chart`). */
  readonly id: string;
  readonly title: string;
  readonly points: readonly { readonly ts: number; readonly value: number }[];
  readonly format: (v: number) => string;
  readonly markers?: readonly ChartMarker[];
  /** Shades the area between the line and the top (drawdown) instead of drawing a bare line. */
  readonly area?: 'below' | 'above';
  readonly color?: string;
  readonly width?: number;
  readonly height?: number;
}

const PAD = { left: 96, right: 16, top: 28, bottom: 28 };

/** Coordinates rounded to 0.1 px keep the page small and identical run to run. */
function r1(x: number): string {
  return (Math.round(x * 10) / 10).toString();
}

/** Smallest and largest of a non-empty list (no spread: lists may be long). */
function range(xs: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of xs) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Renders the chart as an `<svg>` element. */
export function lineChart(c: ChartSpec): string {
  const w = c.width ?? 960;
  const h = c.height ?? 260;
  const color = c.color ?? '#2563eb';
  const pts = c.points;
  const markers = c.markers ?? [];
  const head = `<svg class="chart" data-chart="${escapeHtml(c.id)}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${escapeHtml(c.title)}"><text x="${PAD.left}" y="18" class="title">${escapeHtml(c.title)}</text>`;
  if (pts.length === 0)
    return `${head}<text x="${w / 2}" y="${h / 2}" class="empty">no data</text></svg>`;
  const ts = [...pts.map((p) => p.ts), ...markers.map((m) => m.ts)];
  const vs = [...pts.map((p) => p.value), ...markers.map((m) => m.value)];
  const [x0, x1] = range(ts);
  let [y0, y1] = range(vs);
  if (y0 === y1) {
    y0 -= 1;
    y1 += 1;
  }
  const iw = w - PAD.left - PAD.right;
  const ih = h - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + (x1 === x0 ? iw / 2 : ((t - x0) / (x1 - x0)) * iw);
  const y = (v: number) => PAD.top + ((y1 - v) / (y1 - y0)) * ih;
  const line = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${r1(x(p.ts))} ${r1(y(p.value))}`).join('');
  const parts = [head];
  parts.push(
    `<rect x="${PAD.left}" y="${PAD.top}" width="${iw}" height="${ih}" class="plot"/>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + 4}" class="axis" text-anchor="end">${escapeHtml(c.format(y1))}</text>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + ih}" class="axis" text-anchor="end">${escapeHtml(c.format(y0))}</text>`,
    `<text x="${PAD.left}" y="${h - 8}" class="axis">${istTime(x0)} IST</text>`,
    `<text x="${w - PAD.right}" y="${h - 8}" class="axis" text-anchor="end">${istTime(x1)} IST</text>`,
  );
  if (c.area !== undefined) {
    const edge = c.area === 'below' ? PAD.top + ih : PAD.top;
    const first = pts[0]!;
    const last = pts[pts.length - 1]!;
    parts.push(
      `<path d="${line}L${r1(x(last.ts))} ${edge}L${r1(x(first.ts))} ${edge}Z" fill="${color}" fill-opacity="0.15" stroke="none"/>`,
    );
  }
  parts.push(
    `<path d="${line}" class="series" data-points="${pts.length}" fill="none" stroke="${color}" stroke-width="1.5"/>`,
  );
  for (const m of markers) {
    const mx = x(m.ts);
    const my = y(m.value);
    const d =
      m.side === 'BUY'
        ? `M${r1(mx)} ${r1(my - 6)}L${r1(mx - 5)} ${r1(my + 4)}L${r1(mx + 5)} ${r1(my + 4)}Z`
        : `M${r1(mx)} ${r1(my + 6)}L${r1(mx - 5)} ${r1(my - 4)}L${r1(mx + 5)} ${r1(my - 4)}Z`;
    parts.push(
      `<path d="${d}" class="marker ${m.side === 'BUY' ? 'buy' : 'sell'}"><title>${escapeHtml(m.label)}</title></path>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
