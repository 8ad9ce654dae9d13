/**
 * What the Zerodha link (link.ts) is given: the running system's side (ZerodhaHost), the ticker
 * it drives, and its options.
 */
import type { Instrument, OrderEvent, Side, StrategyId } from '../../model/index.js';
import type { KiteRest } from './http.js';
import type { ZerodhaBroker } from './orders.js';
import type { Difference } from './position-check.js';
import type { SessionState } from './session.js';
import type { SessionStore } from './session-store.js';

/** An order the journal left open (the zerodha trader's view). */
export interface JournalOpenOrder {
  readonly clientOrderId: string;
  readonly strategyId: StrategyId;
  readonly token: number;
  readonly side: Side;
  readonly quantity: number;
  readonly filled: number;
  readonly status: 'IN_FLIGHT' | 'ACCEPTED' | 'PARTIALLY_FILLED';
}

/** What the link needs of the running system. */
export interface ZerodhaHost {
  now(): number;
  /** Journals a SetTradingState for zerodha (authority `broker`). */
  setGate(state: 'ACTIVE' | 'HALTED', reason: string): void;
  sessionChanged(state: SessionState, reason: string, userId?: string): void;
  reconciled(reason: string, orders: number, differences: readonly Difference[]): void;
  replies(events: OrderEvent[]): void;
  /** The account was throttled (a 429) until `until`: the gate must validate nothing new. */
  throttled(clientOrderId: string, until: number, detail: string): void;
  /** The zerodha trader's open orders, as the journal has them. */
  openOrders(): JournalOpenOrder[];
  /** The journal's net position of each instrument over the zerodha portfolios (shares). */
  positions(): ReadonlyMap<number, number>;
  /** The zerodha trader's net MIS positions (strategy → instrument → shares), as journaled. */
  misPositions(): Readonly<Record<string, Readonly<Record<number, number>>>>;
  /** Whether `tag` is a client order id this journal handed out. */
  isOurs(tag: string): boolean;
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
}

/** The ticker as the link drives it (KiteTicker has it). */
export interface LinkTicker {
  start(): void;
  reconnect(reason: string): void;
  stop(): Promise<void>;
}

export interface ZerodhaLinkOptions {
  readonly rest: KiteRest;
  /** The instruments the run trades, checked against Kite's dump each IST day. */
  readonly instruments: readonly Instrument[];
  /** Where Kite's instrument dumps are cached, one file per exchange and IST day. */
  readonly dumpDir: string;
  /** The IST trading day of an instant (YYYY-MM-DD). */
  readonly istDay: (ms: number) => string;
  readonly store: SessionStore;
  readonly broker: ZerodhaBroker;
  readonly apiSecret: string;
  readonly placementEnabled: boolean;
  /** Kite's daily token rollover, minutes after IST midnight (06:00 = 360). */
  readonly expiryMinute: number;
  readonly reconcileEveryMs: number;
  readonly host: ZerodhaHost;
  readonly timers: {
    setTimeout(fn: () => void, ms: number): unknown;
    clearTimeout(h: unknown): void;
  };
}
