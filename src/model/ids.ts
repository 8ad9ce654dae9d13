/** Identifiers: branded strings and numbers, each with one validated format. */
import type { Result } from './money.js';

declare const StrategyIdBrand: unique symbol;
declare const ClientOrderIdBrand: unique symbol;

/** A strategy's id: lowercase letters, digits, `_` and `-`, 1 to 64 characters. */
export type StrategyId = string & { readonly [StrategyIdBrand]: true };
/** Our id for an order; it travels in Kite's `tag`, so it is alphanumeric and at most 20 characters. */
export type ClientOrderId = string & { readonly [ClientOrderIdBrand]: true };
/** Kite's instrument token: a positive integer. */
export type InstrumentToken = number;

export const BROKERS = ['paper', 'zerodha'] as const;
export type BrokerName = (typeof BROKERS)[number];
/** The `broker` field of an envelope: a broker, `shared` for market data, `system` for the runtime. */
export type BrokerScope = BrokerName | 'shared' | 'system';

const STRATEGY_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const CLIENT_ORDER_ID = /^[A-Za-z0-9]{1,20}$/;

export function parseStrategyId(s: string): Result<StrategyId> {
  return STRATEGY_ID.test(s)
    ? { ok: true, value: s as StrategyId }
    : {
        ok: false,
        error: `strategy id ${JSON.stringify(s)} must be 1-64 characters of a-z, 0-9, _ or -, starting with a letter or digit`,
      };
}

/** Returns `s` as a StrategyId; throws with the reason when it is not one. */
export function strategyId(s: string): StrategyId {
  const r = parseStrategyId(s);
  if (!r.ok) throw new TypeError(r.error);
  return r.value;
}

export function parseClientOrderId(s: string): Result<ClientOrderId> {
  return CLIENT_ORDER_ID.test(s)
    ? { ok: true, value: s as ClientOrderId }
    : {
        ok: false,
        error: `client order id ${JSON.stringify(s)} must be 1-20 alphanumeric characters (it is sent as Kite's tag)`,
      };
}

export function clientOrderId(s: string): ClientOrderId {
  const r = parseClientOrderId(s);
  if (!r.ok) throw new TypeError(r.error);
  return r.value;
}

/**
 * What keeps client order ids unique for an account: the journal's nonce (drawn from entropy for
 * every new journal) and its epoch (advanced by every repair of the journal).
 */
export interface OrderIdScope {
  /** The journal's nonce, below 2^34. */
  readonly nonce: number;
  /** The journal's repair epoch, 0 to MAX_JOURNAL_EPOCH. */
  readonly epoch: number;
}

/** The highest epoch an id can carry (two base-36 digits). */
export const MAX_JOURNAL_EPOCH = 36 ** 2 - 1;
const MAX_NONCE = 2 ** 34;
const MAX_ORDER_SEQ = 36 ** 8;

function base36(n: number, width: number): string {
  return n.toString(36).toUpperCase().padStart(width, '0');
}

/**
 * Builds the client order id of an order (it is sent as Kite's `tag`): `P` (paper) or `Z`
 * (zerodha), the journal's nonce (7 base-36 digits), its epoch (2) and `seq` (8), the journal seq
 * of the message the order answers: 18 alphanumerics. A seq is used once per journal and epoch,
 * and a repaired (cut) journal has a new epoch, so an id is never handed out twice.
 */
export function clientOrderIdOf(
  broker: BrokerName,
  scope: OrderIdScope,
  seq: number,
): ClientOrderId {
  const { nonce, epoch } = scope;
  if (!Number.isSafeInteger(nonce) || nonce < 0 || nonce >= MAX_NONCE)
    throw new TypeError(`journal nonce ${nonce} must be an integer from 0 to 2^34 - 1`);
  if (!Number.isSafeInteger(epoch) || epoch < 0 || epoch > MAX_JOURNAL_EPOCH)
    throw new TypeError(`journal epoch ${epoch} must be an integer from 0 to ${MAX_JOURNAL_EPOCH}`);
  if (!Number.isSafeInteger(seq) || seq < 1 || seq >= MAX_ORDER_SEQ)
    throw new TypeError(`seq ${seq} must be an integer from 1 to 36^8 - 1`);
  return clientOrderId(
    `${broker === 'paper' ? 'P' : 'Z'}${base36(nonce, 7)}${base36(epoch, 2)}${base36(seq, 8)}`,
  );
}

export function isBroker(s: string): s is BrokerName {
  return (BROKERS as readonly string[]).includes(s);
}
