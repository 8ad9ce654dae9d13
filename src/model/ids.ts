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

/** Builds the client order id of the n-th order a broker's trader places: `P` (paper) or `Z` (zerodha) + 8 base-36 digits. */
export function clientOrderIdFor(broker: BrokerName, n: number): ClientOrderId {
  return clientOrderId(
    `${broker === 'paper' ? 'P' : 'Z'}${n.toString(36).toUpperCase().padStart(8, '0')}`,
  );
}

export function isBroker(s: string): s is BrokerName {
  return (BROKERS as readonly string[]).includes(s);
}
