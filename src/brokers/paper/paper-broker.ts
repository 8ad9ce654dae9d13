/** The paper broker: fills MARKET orders in-process against the last tick's book, deterministically. */
import { z } from 'zod';
import {
  MarketTickSchema,
  type MarketTick,
  type OrderAccepted,
  type OrderCanceled,
  type OrderEvent,
  type OrderFilled,
  type OrderRejectCode,
  type OrderRejected,
  paise,
  type SubmitOrder,
} from '../../model/index.js';
import type { Random } from '../../runtime/index.js';
import type { SimulatedBroker } from '../broker.js';
import { computeCharges, type ChargesModel, type Product } from './charges.js';
import { walkBook } from './fill.js';
import { applySlippage } from './slippage.js';

/** Paper broker settings; every field but `charges` is optional and defaults to PAPER_DEFAULTS. */
export interface PaperBrokerConfig {
  /** Adverse move applied to each fill's average price, in integer basis points (0 to 9,999). */
  readonly slippageBps?: number;
  /**
   * How fills are charged. No default: Zerodha's rates come from the charges file, which the
   * composition reads (the original's flat 0.1% is FLAT_CHARGES_ORIGINAL). A fill pays no DP
   * charge, since the broker does not track each scrip's first delivery sell of the day.
   */
  readonly charges: ChargesModel;
  /** Product whose charges apply to every fill. */
  readonly product?: Product;
  /** Assumed spread for ticks without depth, in integer basis points of LTP. */
  readonly spreadBps?: number;
  /** Fill only what the book shows and cancel the rest, instead of filling it at the last level. */
  readonly partialFills?: boolean;
  /** Broker order ids are this prefix followed by a 10-digit running counter. */
  readonly brokerOrderIdPrefix?: string;
  /** Smallest price step, in paise; the least half spread for ticks without depth. */
  readonly tickSize?: number;
}

export type ResolvedPaperBrokerConfig = {
  readonly [K in keyof PaperBrokerConfig]-?: Exclude<PaperBrokerConfig[K], undefined>;
};

/**
 * Defaults of everything but the charges: slippage 5 bps (the original's 0.05%), CNC (delivery)
 * charges, 10 bps assumed spread, 5-paise tick, no partial fills.
 */
export const PAPER_DEFAULTS: Omit<ResolvedPaperBrokerConfig, 'charges'> = Object.freeze({
  slippageBps: 5,
  product: 'CNC',
  spreadBps: 10,
  partialFills: false,
  brokerOrderIdPrefix: 'PAPER',
  tickSize: 5,
});

/** The broker's state as plain JSON: the last tick (with its journal seq) per instrument, and counters. */
export interface PaperBrokerSnapshot {
  readonly version: 1;
  /** Orders accepted so far; the next broker order id uses this + 1. */
  readonly ordersAccepted: number;
  /** Sorted by instrument token. */
  readonly lastTicks: readonly { readonly seq: number; readonly tick: MarketTick }[];
}

const int = z.number().int().nonnegative();
export const PaperBrokerSnapshotSchema = z.object({
  version: z.literal(1),
  ordersAccepted: int,
  lastTicks: z.array(z.object({ seq: int, tick: MarketTickSchema })),
});

interface LastTick {
  readonly seq: number;
  readonly tick: MarketTick;
}

export class PaperBroker implements SimulatedBroker {
  readonly execution = 'simulated' as const;
  readonly broker = 'paper' as const;
  readonly config: ResolvedPaperBrokerConfig;
  /**
   * Reserved for the latency model and random partial fills (SPEC §5). Nothing draws from it
   * yet, so fills depend only on journaled ticks and orders and snapshots need no RNG state.
   */
  private readonly random: Random;
  private readonly lastTicks = new Map<number, LastTick>();
  private ordersAccepted = 0;

  /** Throws RangeError when a setting is out of range, naming it and the value received. */
  constructor(config: PaperBrokerConfig, random: Random) {
    this.config = resolveConfig(config);
    this.random = random;
  }

  /** Remembers `tick` as its instrument's book; ignores a tick not newer (by seq) than the one held. */
  onTick(tick: MarketTick, seq: number): void {
    const held = this.lastTicks.get(tick.token);
    if (held !== undefined && seq <= held.seq) return;
    this.lastTicks.set(tick.token, { seq, tick });
  }

  /**
   * Executes a MARKET order against its instrument's last tick. Returns [OrderAccepted,
   * OrderFilled], plus OrderCanceled for the unfilled rest when partialFills is on and the book
   * was short, or [OrderRejected] (NO_MARKET_DATA, NO_LIQUIDITY, BROKER_ERROR for a malformed
   * order). Fill price: the book's VWAP moved by slippageBps against the side, in paise.
   */
  submit(order: SubmitOrder): OrderEvent[] {
    if (order.broker !== this.broker) {
      return [
        reject(
          order,
          'BROKER_ERROR',
          `order for broker "${order.broker}" sent to the paper broker`,
        ),
      ];
    }
    if (!Number.isSafeInteger(order.quantity) || order.quantity <= 0) {
      return [
        reject(
          order,
          'BROKER_ERROR',
          `quantity must be a positive integer, received ${String(order.quantity)}`,
        ),
      ];
    }
    const held = this.lastTicks.get(order.token);
    if (held === undefined) {
      return [
        reject(
          order,
          'NO_MARKET_DATA',
          `no tick seen for instrument ${order.token}: the paper broker fills only against the live book, so the instrument must be in the feed and have ticked before an order`,
        ),
      ];
    }
    const { seq, tick } = held;
    const fill = walkBook(order.side, order.quantity, tick, {
      allowPartial: this.config.partialFills,
      spreadBps: this.config.spreadBps,
      tickSize: this.config.tickSize,
    });
    if (fill.filled === 0) {
      const book = order.side === 'BUY' ? 'asks' : 'bids';
      return [
        reject(
          order,
          'NO_LIQUIDITY',
          `tick seq ${seq} of instrument ${order.token} has no ${book} for a ${order.side} of ${order.quantity} (${tick.bids.length} bid and ${tick.asks.length} ask levels, last price ${tick.lastPrice} paise)`,
        ),
      ];
    }
    const price = applySlippage(order.side, fill.averagePrice, this.config.slippageBps);
    if (price <= 0) {
      // Only a sub-rupee SELL with extreme slippage gets here; a fill at 0 paise is no fill.
      return [
        reject(
          order,
          'NO_LIQUIDITY',
          `a ${order.side} of instrument ${order.token} at ${fill.averagePrice} paise less ${this.config.slippageBps} bps slippage leaves no positive price`,
        ),
      ];
    }
    const fees = computeCharges(
      order.side,
      fill.filled,
      price,
      this.config.product,
      this.config.charges,
    ).total;
    const slippage = paise(order.side === 'BUY' ? price - order.price : order.price - price);

    this.ordersAccepted += 1;
    const ids: Pick<OrderAccepted, 'broker' | 'clientOrderId' | 'strategyId' | 'token'> = {
      broker: this.broker,
      clientOrderId: order.clientOrderId,
      strategyId: order.strategyId,
      token: order.token,
    };
    const accepted: OrderAccepted = {
      type: 'OrderAccepted',
      ...ids,
      brokerOrderId: `${this.config.brokerOrderIdPrefix}${String(this.ordersAccepted).padStart(10, '0')}`,
    };
    const filled: OrderFilled = {
      type: 'OrderFilled',
      ...ids,
      side: order.side,
      quantity: fill.filled,
      price,
      fees,
      slippage,
      tickSeq: seq,
    };
    if (fill.filled === order.quantity) return [accepted, filled];
    const canceled: OrderCanceled = {
      type: 'OrderCanceled',
      ...ids,
      reason: `${order.quantity - fill.filled} of ${order.quantity} unfilled: the book of tick seq ${seq} showed only ${fill.filled}; a market order's remainder is canceled`,
    };
    return [accepted, filled, canceled];
  }

  /** Returns the broker's state as a JSON-able object, for crash recovery. */
  snapshot(): PaperBrokerSnapshot {
    const lastTicks = [...this.lastTicks.values()]
      .sort((a, b) => a.tick.token - b.tick.token)
      .map(({ seq, tick }) => ({
        seq,
        tick: {
          ...tick,
          bids: tick.bids.map((l) => ({ ...l })),
          asks: tick.asks.map((l) => ({ ...l })),
        },
      }));
    return { version: 1, ordersAccepted: this.ordersAccepted, lastTicks };
  }

  /** Replaces the broker's state with `snapshot`; throws TypeError, changing nothing, when it is invalid. */
  restore(snapshot: unknown): void {
    const parsed = PaperBrokerSnapshotSchema.safeParse(snapshot);
    if (!parsed.success) {
      throw new TypeError(`paper broker snapshot is invalid: ${z.prettifyError(parsed.error)}`);
    }
    const ticks = new Map<number, LastTick>();
    for (const { seq, tick } of parsed.data.lastTicks) {
      if (ticks.has(tick.token)) {
        throw new TypeError(
          `paper broker snapshot is invalid: instrument ${tick.token} appears twice in lastTicks`,
        );
      }
      ticks.set(tick.token, { seq, tick: tick as unknown as MarketTick });
    }
    this.lastTicks.clear();
    for (const [token, held] of ticks) this.lastTicks.set(token, held);
    this.ordersAccepted = parsed.data.ordersAccepted;
  }
}

function reject(order: SubmitOrder, code: OrderRejectCode, detail: string): OrderRejected {
  return {
    type: 'OrderRejected',
    broker: 'paper',
    clientOrderId: order.clientOrderId,
    strategyId: order.strategyId,
    token: order.token,
    side: order.side,
    quantity: order.quantity,
    code,
    detail,
  };
}

function resolveConfig(config: PaperBrokerConfig): ResolvedPaperBrokerConfig {
  const c: ResolvedPaperBrokerConfig = { ...PAPER_DEFAULTS, ...config };
  const intIn = (name: string, v: number, min: number, max: number): void => {
    if (!Number.isSafeInteger(v) || v < min || v > max) {
      throw new RangeError(
        `paper broker ${name} must be an integer from ${min} to ${max}, received ${String(v)}`,
      );
    }
  };
  intIn('slippageBps', c.slippageBps, 0, 9_999);
  intIn('spreadBps', c.spreadBps, 0, 9_999);
  intIn('tickSize', c.tickSize, 1, 1_000_000);
  if (c.product !== 'CNC' && c.product !== 'MIS') {
    throw new RangeError(`paper broker product must be CNC or MIS, received ${String(c.product)}`);
  }
  // Fails now, not at the first fill, when a flat percent cannot be represented exactly.
  computeCharges('BUY', 1, 1, c.product, c.charges);
  return Object.freeze(c);
}
