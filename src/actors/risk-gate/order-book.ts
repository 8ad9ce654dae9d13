/**
 * What the gate keeps of orders: validated, unfilled quantity (pending), filled positions and
 * cash, and each strategy's open orders from SubmitOrder to a full fill, a rejection or a cancel.
 */
import {
  cashDelta,
  settledPart,
  signedQuantity,
  type OrderCanceled,
  type OrderFilled,
  type OrderRejected,
  type SubmitOrder,
} from '../../model/index.js';
import { withCount, type RiskGateData } from './gate-context.js';

type Data = RiskGateData;

/**
 * Settles `q` (signed) against validated, unfilled quantity `p`: only toward zero, so a fill or
 * refusal of an order this gate never validated (reconciliation, say) leaves no phantom pending.
 */
export function settle(p: number, q: number): number {
  return p - settledPart(p, q);
}

/** `pending` with the strategy's quantity in `token` replaced by `next` of it (no zero entries). */
function pendingWith(
  c: Data,
  sid: string,
  token: number,
  next: (p: number) => number,
): Data['pending'] {
  const mine = c.pending[sid] ?? {};
  const before = mine[token] ?? 0;
  const p = next(before);
  if (p === before) return c.pending;
  const out = { ...c.pending, [sid]: withCount(mine, token, p) };
  if (Object.keys(out[sid]!).length === 0) delete out[sid];
  return out;
}

/** A validated signal: its quantity is pending and its slices await their SubmitOrder. */
export function onValidated(
  c: Data,
  sid: string,
  token: number,
  q: number,
  slices: number,
): Partial<Data> {
  return {
    pending: pendingWith(c, sid, token, (p) => p + q),
    unplaced: withCount(c.unplaced, sid, (c.unplaced[sid] ?? 0) + slices),
  };
}

/** A SubmitOrder: the order (one slice) is open; one fewer slice awaits placing. */
export function onSubmitted(c: Data, e: SubmitOrder): Partial<Data> {
  const mine = c.openOrders[e.strategyId] ?? {};
  if (mine[e.clientOrderId] !== undefined) return {};
  const order = { token: e.token, side: e.side, quantity: e.quantity, filled: 0 };
  return {
    openOrders: { ...c.openOrders, [e.strategyId]: { ...mine, [e.clientOrderId]: order } },
    unplaced: withCount(c.unplaced, e.strategyId, Math.max(0, (c.unplaced[e.strategyId] ?? 0) - 1)),
  };
}

/** `openOrders` without the order, or with its filled quantity grown by `filled`. */
function openOrdersAfter(
  c: Data,
  sid: string,
  coid: string,
  filled: number | 'final',
): Data['openOrders'] {
  const mine = c.openOrders[sid];
  const o = mine?.[coid];
  if (mine === undefined || o === undefined) return c.openOrders;
  const rest = { ...mine };
  if (filled === 'final' || o.filled + filled >= o.quantity) delete rest[coid];
  else rest[coid] = { ...o, filled: o.filled + filled };
  const out = { ...c.openOrders, [sid]: rest };
  if (Object.keys(rest).length === 0) delete out[sid];
  return out;
}

/** A fill: position and cash move, pending settles, the order closes once fully filled. */
export function onFilled(c: Data, e: OrderFilled): Partial<Data> {
  const sid = e.strategyId;
  const q = signedQuantity(e.side, e.quantity);
  const mine = c.positions[sid] ?? {};
  const before = mine[e.token] ?? 0;
  const after = before + q;
  const positions = { ...c.positions, [sid]: withCount(mine, e.token, after) };
  if (after === 0 && Object.keys(positions[sid]!).length === 0) delete positions[sid];
  const patch: { -readonly [K in keyof Data]?: Data[K] } = {
    positions,
    pending: pendingWith(c, sid, e.token, (p) => settle(p, q)),
    cash: { ...c.cash, [sid]: (c.cash[sid] ?? c.limits.startingCash) + cashDelta(e) },
    openOrders: openOrdersAfter(c, sid, e.clientOrderId, e.quantity),
  };
  if ((before === 0) !== (after === 0)) {
    const holders = (c.holders[e.token] ?? []).filter((h) => h !== sid);
    if (after !== 0) holders.push(sid);
    const next = { ...c.holders, [e.token]: holders };
    if (holders.length === 0) delete next[e.token];
    patch.holders = next;
  }
  // A fill before any tick of its instrument: its price is the best reference there is.
  if (c.lastPrice[e.token] === undefined) patch.lastPrice = { ...c.lastPrice, [e.token]: e.price };
  return patch;
}

/** A rejection or a cancel: the refused (or canceled) quantity is no longer pending; the order closes. */
export function onClosed(c: Data, e: OrderRejected | OrderCanceled): Partial<Data> {
  const q = signedQuantity(e.side, e.quantity);
  return {
    pending: pendingWith(c, e.strategyId, e.token, (p) => settle(p, q)),
    openOrders: openOrdersAfter(c, e.strategyId, e.clientOrderId, 'final'),
  };
}
