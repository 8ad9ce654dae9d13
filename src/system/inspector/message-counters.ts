/**
 * Messages in and out of each actor, counted from the switchboard's record tap: one Map look-up
 * and two integer increments per journaled record, so they cost O(1) whether or not an inspector
 * watches. Ticks are counted per delivery batch at the feed (the tick tap is called once per
 * batch), never per tick and subscriber, which keeps the tick path free of per-tick work.
 *
 * Counting eagerly was chosen over deriving the counts from the journal on request: a request
 * would then read the whole journal (O(records)), while the increments are a few nanoseconds per
 * record and measured by `npm run bench`.
 */
import type { JournalRecord } from '../../model/index.js';
import { routeOf, type Tap, type TickTap } from '../../runtime/index.js';

export interface ActorCounts {
  messagesIn: number;
  messagesOut: number;
  /** The seq of the last record the actor sent or was sent; 0 for none. */
  lastSeq: number;
  /** That record's time, epoch ms; 0 for none. */
  lastTs: number;
}

/** The actors a record goes to: an input's target, or a derived message's route. */
export function targetsOf(r: JournalRecord, derived: boolean): readonly string[] {
  if (r.target !== null) return [r.target];
  if (!derived) return [];
  try {
    return routeOf(r.data as never).to;
  } catch {
    return [];
  }
}

export class MessageCounters {
  private readonly counts = new Map<string, ActorCounts>();

  private entry(id: string): ActorCounts {
    let c = this.counts.get(id);
    if (c === undefined) {
      c = { messagesIn: 0, messagesOut: 0, lastSeq: 0, lastTs: 0 };
      this.counts.set(id, c);
    }
    return c;
  }

  /** The switchboard tap: the record's source sent one message, each of its targets received one. */
  readonly tap: Tap = (r, derived) => {
    const out = this.entry(r.source);
    out.messagesOut++;
    out.lastSeq = r.seq;
    out.lastTs = r.ts;
    for (const to of targetsOf(r, derived)) {
      const c = this.entry(to);
      c.messagesIn++;
      c.lastSeq = r.seq;
      c.lastTs = r.ts;
    }
  };

  /** The tick tap: one batch of `ticks.length` ticks sent by the feed. */
  readonly ticks: TickTap = (ticks, firstSeq, ts) => {
    const c = this.entry('feed');
    c.messagesOut += ticks.length;
    c.lastSeq = firstSeq + ticks.length - 1;
    c.lastTs = ts;
  };

  /** The counts of actor `id` (zeros when it has neither sent nor received anything). */
  of(id: string): ActorCounts {
    return { ...(this.counts.get(id) ?? { messagesIn: 0, messagesOut: 0, lastSeq: 0, lastTs: 0 }) };
  }
}
