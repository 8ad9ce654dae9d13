/**
 * GET /portfolio/positions and /portfolio/holdings: the day's fills by instrument and product
 * in positions.json's shape, and the seeded holdings in holdings.json's, marked at the last tick.
 */
import type { FakeExchange } from './exchange.js';
import { TEMPLATES, type Json } from './kite-fixtures.js';
import { setFields } from './order-json.js';

const rupees = (p: number): number => Math.round(p) / 100;
const avg = (value: number, q: number): number =>
  q === 0 ? 0 : Number((value / q / 100).toFixed(4));

interface Legs {
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly token: number;
  readonly product: string;
  buyQ: number;
  buyV: number;
  sellQ: number;
  sellV: number;
}

/** Positions as Kite answers them: `net` and `day` (the same here: nothing is carried overnight). */
export function positionsJson(x: FakeExchange): { net: Json[]; day: Json[] } {
  const legs = new Map<string, Legs>();
  for (const f of x.book.fills) {
    const o = f.order;
    const key = `${o.token}:${o.product}`;
    let l = legs.get(key);
    if (l === undefined) {
      l = {
        exchange: o.exchange,
        tradingsymbol: o.tradingsymbol,
        token: o.token,
        product: o.product,
        buyQ: 0,
        buyV: 0,
        sellQ: 0,
        sellV: 0,
      };
      legs.set(key, l);
    }
    if (o.side === 'BUY') {
      l.buyQ += f.quantity;
      l.buyV += f.quantity * f.price;
    } else {
      l.sellQ += f.quantity;
      l.sellV += f.quantity * f.price;
    }
  }
  const rows = [...legs.values()].map((l) => {
    const tick = x.lastTick(l.token);
    const last = tick?.lastPrice ?? 0;
    const quantity = l.buyQ - l.sellQ;
    const value = l.sellV - l.buyV;
    const pnl = value + quantity * last;
    const closed = Math.min(l.buyQ, l.sellQ);
    const realised = closed === 0 ? 0 : closed * (l.sellV / l.sellQ - l.buyV / l.buyQ);
    const openAvg = quantity > 0 ? l.buyV / l.buyQ : quantity < 0 ? l.sellV / l.sellQ : 0;
    return setFields(TEMPLATES.position(), {
      tradingsymbol: l.tradingsymbol,
      exchange: l.exchange,
      instrument_token: l.token,
      product: l.product,
      quantity,
      overnight_quantity: 0,
      multiplier: 1,
      average_price: Number((openAvg / 100).toFixed(4)),
      close_price: rupees(tick?.close ?? 0),
      last_price: rupees(last),
      value: rupees(value),
      pnl: rupees(pnl),
      m2m: rupees(pnl),
      unrealised: rupees(pnl - realised),
      realised: rupees(realised),
      buy_quantity: l.buyQ,
      buy_price: avg(l.buyV, l.buyQ),
      buy_value: rupees(l.buyV),
      buy_m2m: rupees(l.buyV),
      sell_quantity: l.sellQ,
      sell_price: avg(l.sellV, l.sellQ),
      sell_value: rupees(l.sellV),
      sell_m2m: rupees(l.sellV),
      day_buy_quantity: l.buyQ,
      day_buy_price: avg(l.buyV, l.buyQ),
      day_buy_value: rupees(l.buyV),
      day_sell_quantity: l.sellQ,
      day_sell_price: avg(l.sellV, l.sellQ),
      day_sell_value: rupees(l.sellV),
    });
  });
  return { net: rows, day: structuredClone(rows) };
}

/** The seeded holdings; today's CNC sells of them show as `used_quantity`. */
export function holdingsJson(x: FakeExchange): Json[] {
  return [...x.holdings.entries()].map(([token, h]) => {
    const i = x.instrument(token)!;
    const tick = x.lastTick(token);
    const last = tick?.lastPrice ?? h.averagePrice;
    const close = tick?.close ?? last;
    const sold = x.book.fills
      .filter(
        (f) => f.order.token === token && f.order.product === 'CNC' && f.order.side === 'SELL',
      )
      .reduce((n, f) => n + f.quantity, 0);
    const t = TEMPLATES.holding();
    const mtf = Object.fromEntries(Object.keys(t['mtf'] as Json).map((k) => [k, 0]));
    return setFields(t, {
      tradingsymbol: i.tradingSymbol,
      exchange: i.exchange,
      instrument_token: token,
      isin: '',
      product: 'CNC',
      price: 0,
      quantity: h.quantity,
      used_quantity: Math.min(sold, h.quantity),
      t1_quantity: 0,
      realised_quantity: h.quantity,
      authorised_quantity: 0,
      authorisation: {},
      opening_quantity: h.quantity,
      short_quantity: 0,
      collateral_quantity: 0,
      collateral_type: '',
      discrepancy: false,
      average_price: rupees(h.averagePrice),
      last_price: rupees(last),
      close_price: rupees(close),
      pnl: rupees(h.quantity * (last - h.averagePrice)),
      day_change: rupees(last - close),
      day_change_percentage: close === 0 ? 0 : ((last - close) / close) * 100,
      mtf,
    });
  });
}
