/**
 * The open orders metrics follow, by client order id: when each was submitted (monotonic ms),
 * whether its broker has replied yet, and how much of it is still unfilled. Bounded: past
 * `capacity` open orders the oldest is forgotten (its later events are counted, not timed).
 */

interface Tracked {
  readonly submittedAt: number;
  /** When the tick that started the order's chain was journaled (monotonic ms); NaN for none. */
  readonly originAt: number;
  replied: boolean;
  quantity: number;
  filled: number;
}

/** What a fill meant for its order. */
export interface FillOutcome {
  /** When the order was submitted (monotonic ms); undefined for an order not followed. */
  readonly submittedAt: number | undefined;
  /** When the tick that led to the order was journaled (monotonic ms); undefined when unknown. */
  readonly originAt: number | undefined;
  /** Whether the fill completes the order (true too for an order not followed). */
  readonly complete: boolean;
}

export class OrderTracker {
  private readonly open = new Map<string, Tracked>();

  constructor(private readonly capacity = 100_000) {}

  /** How many orders are followed now. */
  get size(): number {
    return this.open.size;
  }

  /**
   * An order of `quantity` shares was submitted at `atMs`, in a chain a tick journaled at
   * `originMs` started (undefined: none did).
   */
  submitted(clientOrderId: string, quantity: number, atMs: number, originMs?: number): void {
    this.open.delete(clientOrderId);
    this.open.set(clientOrderId, {
      submittedAt: atMs,
      originAt: originMs ?? NaN,
      replied: false,
      quantity,
      filled: 0,
    });
    if (this.open.size > this.capacity) {
      const oldest = this.open.keys().next().value;
      if (oldest !== undefined) this.open.delete(oldest);
    }
  }

  /**
   * The broker said something about the order (accepted, filled, rejected...): returns when it
   * was submitted the first time only (the broker's round trip), else undefined.
   */
  replied(clientOrderId: string): number | undefined {
    const o = this.open.get(clientOrderId);
    if (o === undefined || o.replied) return undefined;
    o.replied = true;
    return o.submittedAt;
  }

  /** A fill of `quantity` shares; a fill that completes the order stops following it. */
  filled(clientOrderId: string, quantity: number): FillOutcome {
    const o = this.open.get(clientOrderId);
    if (o === undefined) return { submittedAt: undefined, originAt: undefined, complete: true };
    o.filled += quantity;
    const complete = o.filled >= o.quantity;
    if (complete) this.open.delete(clientOrderId);
    const originAt = Number.isNaN(o.originAt) ? undefined : o.originAt;
    return { submittedAt: o.submittedAt, originAt, complete };
  }

  /** The order's total quantity changed (a modification). */
  modified(clientOrderId: string, quantity: number): void {
    const o = this.open.get(clientOrderId);
    if (o !== undefined) o.quantity = quantity;
  }

  /** The order is final (rejected, canceled or expired): stop following it. */
  closed(clientOrderId: string): void {
    this.open.delete(clientOrderId);
  }
}
