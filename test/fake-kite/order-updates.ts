/**
 * Delivery of order updates: each new order state as `{"type":"order","data":<postback>}` to
 * every ticker socket and, with a postback URL, as an HTTP POST of the postback; with the test's
 * faults (duplicated, stale after COMPLETE, suppressed).
 */
import type { Json } from './kite-fixtures.js';
import { postbackJson } from './order-json.js';
import type { TickerServer } from './ticker-server.js';

/** How updates misbehave; all false: each update sent once, in order. */
export interface UpdateFaults {
  /** Every update is sent twice. */
  duplicate: boolean;
  /** After a COMPLETE update, the order's previous update is sent again (out of order). */
  staleAfterComplete: boolean;
  /** No update is sent at all (the adapter must learn from polling). */
  suppress: boolean;
}

/** A postback the fake sent, and how the receiver answered (status 0: it could not be sent). */
export interface PostbackSent {
  readonly body: Json;
  readonly status: number;
}

export class OrderUpdates {
  readonly faults: UpdateFaults = { duplicate: false, staleAfterComplete: false, suppress: false };
  readonly postbacks: PostbackSent[] = [];
  /** The last update sent of each order, by order id. */
  private readonly previous = new Map<string, Json>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly ticker: TickerServer,
    private readonly apiSecret: string,
    private readonly postbackUrl: string | undefined,
  ) {}

  /** Sends `rows` (order states, orders.json's shape) in order; resolves when they are out. */
  send(rows: readonly Json[]): Promise<void> {
    if (rows.length === 0) return this.chain;
    const next = this.chain.then(() => this.deliver(rows));
    this.chain = next;
    return next;
  }

  private async deliver(rows: readonly Json[]): Promise<void> {
    const out: Json[] = [];
    for (const row of rows) {
      const update = postbackJson(row, this.apiSecret);
      const id = update['order_id'] as string;
      const before = this.previous.get(id);
      this.previous.set(id, update);
      if (this.faults.suppress) continue;
      const copies = this.faults.duplicate ? 2 : 1;
      for (let i = 0; i < copies; i++) out.push(update);
      if (this.faults.staleAfterComplete && update['status'] === 'COMPLETE' && before !== undefined)
        for (let i = 0; i < copies; i++) out.push(before);
    }
    for (const data of out) {
      await this.ticker.text(JSON.stringify({ type: 'order', data }));
      if (this.postbackUrl !== undefined) await this.post(data);
    }
  }

  private async post(body: Json): Promise<void> {
    let status = 0;
    try {
      const r = await fetch(this.postbackUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      status = r.status;
      await r.arrayBuffer();
    } catch {
      status = 0;
    }
    this.postbacks.push({ body, status });
  }
}
