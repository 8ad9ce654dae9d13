/**
 * Bracket exits. Each fill of an entry places (or grows) its exits for the filled quantity on
 * the opposite side: a LIMIT at takeProfit (`<entry>T`) and an SL-M at stopLoss (`<entry>S`),
 * DAY, the entry's product, matchable at once (the broker holds them, so no latency). The two
 * sell the same shares: a fill of one shrinks the other (OrderModified) or cancels it
 * ("one-cancels-other"), and once the exits have closed every share the entry bought, what is
 * left of the entry is canceled too, so a bracket is one trade. An exit the trader canceled is
 * not placed again; its sibling goes on alone.
 */
import { clientOrderId, type OrderEvent, type SubmitOrder } from '../../model/index.js';
import { cancelRemaining } from './close-order.js';
import { divRound } from './div-round.js';
import { remainingOf, type BracketGroup, type Engine, type OpenOrder } from './engine-state.js';
import { accepted, modified } from './events.js';
import { acceptOrder } from './accept-order.js';

/** Records the bracket of `entry` (just accepted from `cmd`), if it asks for exits. */
export function registerBracket(e: Engine, entry: OpenOrder, cmd: SubmitOrder): void {
  const b = cmd.bracket;
  if (b === undefined || (b.takeProfit === undefined && b.stopLoss === undefined)) return;
  const { num, den } = protectionRatio(e, cmd);
  e.state.brackets.set(entry.clientOrderId, {
    entryId: entry.clientOrderId,
    strategyId: entry.strategyId,
    token: entry.token,
    exitSide: entry.side === 'BUY' ? 'SELL' : 'BUY',
    product: entry.product,
    takeProfit: b.takeProfit ?? null,
    stopLoss: b.stopLoss ?? null,
    protectionNum: num,
    protectionDen: den,
    placed: 0,
    exited: 0,
    tpPlaced: false,
    slPlaced: false,
  });
}

/**
 * The stop exit's protection as a fraction of the stop price: the fraction the entry's own
 * protection was of its price (MARKET: of the reference price; SL-M: of the trigger), else
 * bracketProtectionBps.
 */
function protectionRatio(e: Engine, cmd: SubmitOrder): { num: number; den: number } {
  const ref =
    cmd.orderType === 'MARKET'
      ? cmd.price
      : cmd.orderType === 'SL-M'
        ? cmd.triggerPrice
        : undefined;
  if (cmd.protectionPrice !== undefined && ref !== undefined && ref > 0) {
    return { num: Math.abs(cmd.protectionPrice - ref), den: ref };
  }
  return { num: e.config.bracketProtectionBps, den: 10_000 };
}

function exitProtection(g: BracketGroup, stop: number): number {
  const move = Number(divRound(BigInt(stop) * BigInt(g.protectionNum), BigInt(g.protectionDen)));
  return g.exitSide === 'BUY' ? stop + move : Math.max(1, stop - move);
}

/**
 * Bracket work after `o` filled `qty` shares: an entry places or grows its exits, an exit
 * shrinks or cancels its sibling (and the entry's rest once the position is closed). Returns
 * the exits it placed, for the caller to match against the current book.
 */
export function afterFill(e: Engine, o: OpenOrder, qty: number, out: OrderEvent[]): OpenOrder[] {
  if (o.exitOf !== null) {
    exitFilled(e, o, qty, out);
    return [];
  }
  const g = e.state.brackets.get(o.clientOrderId);
  if (g === undefined) return [];
  g.placed += qty;
  const created: OpenOrder[] = [];
  for (const role of ['T', 'S'] as const) {
    const price = role === 'T' ? g.takeProfit : g.stopLoss;
    if (price === null) continue;
    const existing = e.state.orders.get(clientOrderId(`${g.entryId}${role}`));
    if (existing !== undefined) {
      existing.quantity += qty;
      existing.modifications += 1;
      out.push(modified(existing));
      continue;
    }
    if (role === 'T' ? g.tpPlaced : g.slPlaced) continue;
    if (role === 'T') g.tpPlaced = true;
    else g.slPlaced = true;
    const x = placeExit(e, g, role, price, g.placed - g.exited);
    out.push(accepted(x, x.brokerOrderId));
    created.push(x);
  }
  return created;
}

function placeExit(
  e: Engine,
  g: BracketGroup,
  role: 'T' | 'S',
  price: number,
  qty: number,
): OpenOrder {
  return acceptOrder(e, {
    clientOrderId: clientOrderId(`${g.entryId}${role}`),
    strategyId: g.strategyId,
    token: g.token,
    side: g.exitSide,
    orderType: role === 'T' ? 'LIMIT' : 'SL-M',
    validity: 'DAY',
    product: g.product,
    quantity: qty,
    price,
    limitPrice: role === 'T' ? price : null,
    triggerPrice: role === 'S' ? price : null,
    protectionPrice: role === 'S' ? exitProtection(g, price) : null,
    exitOf: g.entryId,
  });
}

function exitFilled(e: Engine, x: OpenOrder, qty: number, out: OrderEvent[]): void {
  const entryId = x.exitOf;
  if (entryId === null) return;
  const g = e.state.brackets.get(entryId);
  if (g === undefined) return;
  g.exited += qty;
  const role = x.clientOrderId === `${entryId}T` ? 'T' : 'S';
  const sibling = e.state.orders.get(clientOrderId(`${entryId}${role === 'T' ? 'S' : 'T'}`));
  if (sibling !== undefined) {
    if (remainingOf(sibling) <= qty) {
      cancelRemaining(e.state, sibling, 'one-cancels-other', out);
    } else {
      sibling.quantity -= qty;
      sibling.modifications += 1;
      out.push(modified(sibling));
    }
  }
  if (g.placed - g.exited > 0) return;
  const entry = e.state.orders.get(entryId);
  if (entry !== undefined && remainingOf(entry) > 0) {
    cancelRemaining(
      e.state,
      entry,
      `one-cancels-other: exit ${x.clientOrderId} closed the bracket's whole position, so the rest of the entry is canceled`,
      out,
    );
  }
}
