/** Paper broker settings: what each one means, its default, and the checks that refuse bad values. */
import { computeCharges, type ChargesModel, type Product } from './charges.js';

/** Paper broker settings; every field but `charges` is optional and defaults to PAPER_DEFAULTS. */
export interface PaperBrokerConfig {
  /** Adverse move applied to MARKET and SL-M fills, in integer basis points (0 to 9,999). */
  readonly slippageBps?: number;
  /**
   * How fills are charged. No default: Zerodha's rates come from the charges file, which the
   * composition reads (the original's flat 0.1% is FLAT_CHARGES_ORIGINAL). A fill pays no DP
   * charge, since the broker does not track each scrip's first delivery sell of the day.
   */
  readonly charges: ChargesModel;
  /** The product of orders that name none (every order carries its own; this is a fallback). */
  readonly product?: Product;
  /** Assumed spread for ticks without depth, in integer basis points of LTP. */
  readonly spreadBps?: number;
  /**
   * `true`: fill only what the book shows (a market order's rest is canceled, a resting limit
   * fills by the traded volume that reaches it). `false`: the book's last visible level is taken
   * as deep enough, and a limit whose queue has been worked off fills in full.
   */
  readonly partialFills?: boolean;
  /** Broker order ids are this prefix followed by a 10-digit running counter. */
  readonly brokerOrderIdPrefix?: string;
  /** Smallest price step, in paise: limit, trigger and bracket prices must be multiples of it. */
  readonly tickSize?: number;
  /** Seed of the derived randomness (queue positions, latency jitter): a safe integer. */
  readonly seed?: number;
  /** Time from an order's arrival at the broker to its first match, ms. */
  readonly latencyMs?: number;
  /** Up to this many ms more, derived per order from (seed, client order id). */
  readonly latencyJitterMs?: number;
  /** Modifications allowed per order (Kite: 25). */
  readonly maxModifications?: number;
  /**
   * Market protection of a bracket's stop-loss exit when the entry carried none, in integer
   * basis points of the stop price (the exit may fill this far beyond its stop, no further).
   */
  readonly bracketProtectionBps?: number;
}

export type ResolvedPaperBrokerConfig = {
  readonly [K in keyof PaperBrokerConfig]-?: Exclude<PaperBrokerConfig[K], undefined>;
};

/**
 * Defaults: slippage 5 bps (the original's 0.05%), CNC, 10 bps assumed spread, 5-paise tick, partial fills
 * when depth is short (SPEC §5), seed 0, no latency, Kite's 25 modifications, and 1% protection
 * for bracket stops of entries without market protection.
 */
export const PAPER_DEFAULTS: Omit<ResolvedPaperBrokerConfig, 'charges'> = Object.freeze({
  slippageBps: 5,
  product: 'CNC',
  spreadBps: 10,
  partialFills: true,
  brokerOrderIdPrefix: 'PAPER',
  tickSize: 5,
  seed: 0,
  latencyMs: 0,
  latencyJitterMs: 0,
  maxModifications: 25,
  bracketProtectionBps: 100,
});

/** One day, ms: the most latency a setting may ask for. */
const MAX_LATENCY_MS = 86_400_000;

/** Returns `config` over the defaults; throws RangeError naming the first setting out of range. */
export function resolvePaperConfig(config: PaperBrokerConfig): ResolvedPaperBrokerConfig {
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
  intIn('seed', c.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  intIn('latencyMs', c.latencyMs, 0, MAX_LATENCY_MS);
  intIn('latencyJitterMs', c.latencyJitterMs, 0, MAX_LATENCY_MS);
  intIn('maxModifications', c.maxModifications, 0, 1_000);
  intIn('bracketProtectionBps', c.bracketProtectionBps, 0, 9_999);
  if (c.product !== 'CNC' && c.product !== 'MIS') {
    throw new RangeError(`paper broker product must be CNC or MIS, received ${String(c.product)}`);
  }
  if (typeof c.partialFills !== 'boolean') {
    throw new RangeError(
      `paper broker partialFills must be true or false, received ${String(c.partialFills)}`,
    );
  }
  // The prefix plus 10 digits is the broker order id; keep it printable and short.
  if (
    typeof c.brokerOrderIdPrefix !== 'string' ||
    !/^[A-Za-z0-9_-]{0,20}$/.test(c.brokerOrderIdPrefix)
  ) {
    throw new RangeError(
      `paper broker brokerOrderIdPrefix must be 0-20 characters of A-Z, a-z, 0-9, _ or -, received ${JSON.stringify(c.brokerOrderIdPrefix)}`,
    );
  }
  const kind = (c.charges as { kind?: unknown } | null)?.kind;
  if (kind !== 'flat' && kind !== 'zerodha') {
    throw new RangeError(
      `paper broker charges must be { kind: 'zerodha' } or { kind: 'flat', percent }, received kind ${String(kind)}`,
    );
  }
  // Fails now, not at the first fill, when a flat percent cannot be represented exactly.
  computeCharges('BUY', 1, 1, c.product, c.charges);
  return Object.freeze(c);
}
