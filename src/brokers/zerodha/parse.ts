/**
 * Kite Connect JSON to our types, checked with zod where it enters the process; the only place
 * Kite's rupee floats become integer paise (`toPaise`). Each parser reads the `data` of Kite's
 * `{"status":"success","data":...}` envelope, with the field names of ../shared/fixtures/kite
 * (recorded by Zerodha): orders (`GET /orders`, `GET /orders/:id` history elements, which lack
 * `exchange_update_timestamp` and `market_protection`; postbacks; ticker `{"type":"order"}` data),
 * trades, positions `{net, day}`, holdings, a session, a profile. Prices are rupee floats.
 *
 * Times. Kite's timestamps are naive IST wall-clock strings, "YYYY-MM-DD HH:MM:SS"; our types keep
 * that string and `kiteTimeMs` turns it into epoch ms. The kiteconnect client turns some of them
 * into `Date`s with `new Date(naive)`, which reads the string in the host's local zone; such a Date
 * is formatted back from its local fields, which restores Kite's exact string (on any host whose
 * zone has no daylight-saving gap at that moment: always for IST and UTC hosts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { IST_OFFSET_MS, paise, type Paise } from '../../model/index.js';

export interface KiteOrder {
  orderId: string;
  status: string;
  tag: string | null;
  exchange: string;
  tradingsymbol: string;
  token: number;
  side: 'BUY' | 'SELL';
  orderType: string;
  product: string;
  validity: string;
  quantity: number;
  filledQuantity: number;
  pendingQuantity: number;
  cancelledQuantity: number;
  price: Paise;
  triggerPrice: Paise;
  averagePrice: Paise;
  /** Percent; 0 when Kite omits it (order history elements), -1 is Kite's automatic protection. */
  marketProtection: number;
  statusMessage: string | null;
  orderTimestamp: string | null; // naive IST "YYYY-MM-DD HH:MM:SS"
  updatedAt: string | null; // Kite's `exchange_update_timestamp`, naive IST; null when absent
}

export interface KiteTrade {
  tradeId: string;
  orderId: string;
  token: number;
  exchange: string;
  tradingsymbol: string;
  product: string;
  side: 'BUY' | 'SELL';
  quantity: number;
  price: Paise; // Kite's `average_price` of the fill
  filledAt: string | null; // Kite's `fill_timestamp`, naive IST
}

export interface KitePosition {
  token: number;
  exchange: string;
  tradingsymbol: string;
  product: string;
  quantity: number; // signed: negative is short
  averagePrice: Paise;
  lastPrice: Paise;
  pnl: Paise;
}

export interface KiteHolding {
  token: number;
  exchange: string;
  tradingsymbol: string;
  quantity: number;
  t1Quantity: number;
  averagePrice: Paise;
  lastPrice: Paise;
}

export interface KiteSession {
  userId: string;
  accessToken: string;
  publicToken: string;
  loginTime: string; // naive IST "YYYY-MM-DD HH:MM:SS"
  apiKey: string;
}

export type KitePositions = { net: KitePosition[]; day: KitePosition[] };

export interface KiteProfile {
  userId: string;
  userName: string;
}

/** A Kite payload that does not have the shape we read: says where it came from and which field. */
export class KiteParseError extends Error {
  override readonly name = 'KiteParseError';
  /** e.g. 'GET /orders' or 'postback'. */
  readonly where: string;
  /** The path of the bad field, e.g. '[3].transaction_type' ('(value)' for the whole value). */
  readonly field: string;
  constructor(where: string, field: string, detail: string) {
    super(`${where}: field ${field}: ${detail}`);
    this.where = where;
    this.field = field;
  }
}

/** Converts Kite's rupees (a float) to paise: `Math.round(x * 100)`; throws when out of range. */
export function toPaise(rupees: number): Paise {
  const p = Math.round(rupees * 100);
  // Math.round(-0.004 * 100) is -0; money is never -0.
  return paise(p === 0 ? 0 : p);
}

const NAIVE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Converts Kite's naive IST timestamp "YYYY-MM-DD HH:MM:SS" to epoch ms; throws when malformed. */
export function kiteTimeMs(s: string): number {
  const m = NAIVE.exec(s);
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0] = m ? m.slice(1).map(Number) : [];
  const utc = Date.UTC(y, mo - 1, d, h, mi, se);
  // Date.UTC rolls 2021-02-30 over to March: a round trip catches impossible fields.
  const back = new Date(utc).toISOString().slice(0, 19).replace('T', ' ');
  const bad = `expected "YYYY-MM-DD HH:MM:SS", got ${show(s)}`;
  if (!m || back !== s) throw new KiteParseError('kiteTimeMs', '(value)', bad);
  return utc - IST_OFFSET_MS;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Kite's naive string of a Date that kiteconnect built from it (see the file comment). */
function naiveOf(d: Date): string {
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

const text = z.string().min(1);
const count = z.number().int().nonnegative();
const token = z.number().int().nonnegative();
const side = z.enum(['BUY', 'SELL']);
const INSTRUMENT = { instrument_token: token, exchange: text, tradingsymbol: text };
const instrumentOf = (x: z.output<z.ZodObject<typeof INSTRUMENT>>) => ({
  token: x.instrument_token,
  exchange: x.exchange,
  tradingsymbol: x.tradingsymbol,
});

const money = z.number().transform((x, ctx): Paise => {
  try {
    return toPaise(x);
  } catch {
    ctx.addIssue({ code: 'custom', message: `${x} rupees is outside the range of paise` });
    return z.NEVER;
  }
});

const naiveTime = z.union([z.string(), z.date()]).transform((x, ctx): string => {
  const s = typeof x === 'string' ? x : Number.isNaN(x.getTime()) ? 'Invalid Date' : naiveOf(x);
  if (NAIVE.test(s)) return s;
  ctx.addIssue({ code: 'custom', message: 'expected a time "YYYY-MM-DD HH:MM:SS"' });
  return z.NEVER;
});
const optionalTime = naiveTime.nullish().transform((x) => x ?? null);
const anyText = z.string();
const optionalText = anyText.nullish().transform((x) => x ?? null);

const OrderSchema = z
  .object({
    order_id: text,
    status: text,
    tag: optionalText,
    ...INSTRUMENT,
    transaction_type: side,
    order_type: text,
    product: text,
    validity: text,
    quantity: count,
    filled_quantity: count,
    pending_quantity: count,
    cancelled_quantity: count,
    price: money,
    trigger_price: money,
    average_price: money,
    market_protection: z.number().optional(),
    status_message: optionalText,
    order_timestamp: optionalTime,
    exchange_update_timestamp: optionalTime,
  })
  .transform((o): KiteOrder => ({
    orderId: o.order_id,
    status: o.status,
    tag: o.tag,
    ...instrumentOf(o),
    side: o.transaction_type,
    orderType: o.order_type,
    product: o.product,
    validity: o.validity,
    quantity: o.quantity,
    filledQuantity: o.filled_quantity,
    pendingQuantity: o.pending_quantity,
    cancelledQuantity: o.cancelled_quantity,
    price: o.price,
    triggerPrice: o.trigger_price,
    averagePrice: o.average_price,
    marketProtection: o.market_protection ?? 0,
    statusMessage: o.status_message,
    orderTimestamp: o.order_timestamp,
    updatedAt: o.exchange_update_timestamp,
  }));

const TradeSchema = z
  .object({
    trade_id: text,
    order_id: text,
    ...INSTRUMENT,
    product: text,
    transaction_type: side,
    quantity: count,
    average_price: money,
    fill_timestamp: optionalTime,
  })
  .transform((t): KiteTrade => ({
    tradeId: t.trade_id,
    orderId: t.order_id,
    ...instrumentOf(t),
    product: t.product,
    side: t.transaction_type,
    quantity: t.quantity,
    price: t.average_price,
    filledAt: t.fill_timestamp,
  }));

const PositionSchema = z
  .object({
    ...INSTRUMENT,
    product: text,
    quantity: z.number().int(),
    average_price: money,
    last_price: money,
    pnl: money,
  })
  .transform((p): KitePosition => ({
    ...instrumentOf(p),
    product: p.product,
    quantity: p.quantity,
    averagePrice: p.average_price,
    lastPrice: p.last_price,
    pnl: p.pnl,
  }));

const HoldingSchema = z
  .object({
    ...INSTRUMENT,
    quantity: count,
    t1_quantity: count,
    average_price: money,
    last_price: money,
  })
  .transform((h): KiteHolding => ({
    ...instrumentOf(h),
    quantity: h.quantity,
    t1Quantity: h.t1_quantity,
    averagePrice: h.average_price,
    lastPrice: h.last_price,
  }));

const SessionSchema = z
  .object({
    user_id: text,
    access_token: text,
    public_token: z.string(),
    login_time: naiveTime,
    api_key: text,
  })
  .transform((s): KiteSession => ({
    userId: s.user_id,
    accessToken: s.access_token,
    publicToken: s.public_token,
    loginTime: s.login_time,
    apiKey: s.api_key,
  }));

const ProfileSchema = z
  .object({ user_id: text, user_name: z.string() })
  .transform((p): KiteProfile => ({ userId: p.user_id, userName: p.user_name }));

const OrderIdSchema = z.object({ order_id: text }).transform((o) => o.order_id);

const PositionsSchema = z.object({ net: z.array(PositionSchema), day: z.array(PositionSchema) });

function show(v: unknown): string {
  const s = v === undefined ? 'nothing' : v instanceof Date ? v.toString() : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function valueAt(x: unknown, path: readonly PropertyKey[]): unknown {
  let v = x;
  for (const k of path)
    v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function fieldOf(path: readonly PropertyKey[]): string {
  const s = path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
  return s === '' ? '(value)' : s.replace(/^\./, '');
}

/** Parses `x` with `schema` or throws a KiteParseError naming `where`, the field and its value. */
function parseWith<T>(schema: z.ZodType<T>, x: unknown, where: string): T {
  const r = schema.safeParse(x);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path ?? [];
  const detail = `${issue?.message ?? 'invalid'}; received ${show(valueAt(x, path))}`;
  throw new KiteParseError(where, fieldOf(path), detail);
}

/** Parses one order (an orders or order-history element, a postback, a ticker order update). */
export function parseOrder(x: unknown, where: string): KiteOrder {
  return parseWith(OrderSchema, x, where);
}

/** Parses the `data` of `GET /orders` or `GET /orders/:id` (the order's history, oldest first). */
export function parseOrders(x: unknown, where: string): KiteOrder[] {
  return parseWith(z.array(OrderSchema), x, where);
}

/** Parses the `data` of `GET /trades` or `GET /orders/:id/trades`. */
export function parseTrades(x: unknown, where: string): KiteTrade[] {
  return parseWith(z.array(TradeSchema), x, where);
}

/** Parses the `data` of `GET /portfolio/positions`: net and day positions. */
export function parsePositions(x: unknown, where: string): KitePositions {
  return parseWith(PositionsSchema, x, where);
}

/** Parses the `data` of `GET /portfolio/holdings`. */
export function parseHoldings(x: unknown, where: string): KiteHolding[] {
  return parseWith(z.array(HoldingSchema), x, where);
}

/** Parses the `data` of `POST /session/token`. */
export function parseSession(x: unknown, where: string): KiteSession {
  return parseWith(SessionSchema, x, where);
}

/** Parses the `data` of `GET /user/profile`. */
export function parseProfile(x: unknown, where: string): KiteProfile {
  return parseWith(ProfileSchema, x, where);
}

/** Parses the `data` of an order placement, modification or cancellation: the order id. */
export function parseOrderId(x: unknown, where: string): string {
  return parseWith(OrderIdSchema, x, where);
}

/** Parses the `data` of a ticker `{"type":"order"}` text frame (it carries no checksum to check). */
export function parseOrderUpdate(x: unknown): KiteOrder {
  return parseOrder(x, 'ticker order update');
}

const PostbackHead = z.object({ checksum: z.string(), order_id: text, order_timestamp: text });
const HEX64 = /^[0-9a-f]{64}$/i;

/**
 * Checks and parses an order postback. Kite signs a postback with
 * `checksum = sha256hex(order_id + order_timestamp + api_secret)`; the comparison is constant-time.
 * A failure is a result, never a throw: the reason says what was wrong.
 */
export function verifyPostback(
  x: unknown,
  apiSecret: string,
): { ok: true; order: KiteOrder } | { ok: false; reason: string } {
  if (apiSecret === '') return { ok: false, reason: 'no api secret is configured to verify with' };
  let head: z.output<typeof PostbackHead>;
  try {
    head = parseWith(PostbackHead, x, 'postback');
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  const { checksum, order_id, order_timestamp } = head;
  const signed = order_id + order_timestamp + apiSecret;
  const expected = createHash('sha256').update(signed).digest();
  const given = HEX64.test(checksum) ? Buffer.from(checksum, 'hex') : null;
  if (given === null || !timingSafeEqual(given, expected)) {
    return {
      ok: false,
      reason: `postback for order ${order_id}: checksum does not match (forged or altered, or signed with another api secret)`,
    };
  }
  try {
    return { ok: true, order: parseOrder(x, 'postback') };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}
