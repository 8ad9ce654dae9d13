/**
 * The event stream of a stopped journal (post-mortem inspection): the records after a seq, read
 * back from the journal; nothing live follows, and a subscription stays open until ended.
 */
import type { LogTransport } from '../../runtime/index.js';
import type { EventStream } from '../event-stream.js';
import { eventOf, matcher } from '../stream-event.js';
import type { Meta } from './message-view.js';

export function journalEvents(transport: LogTransport, meta: Meta): EventStream {
  return {
    subscribe(afterSeq, filter, onEvent, onError) {
      let closed = false;
      const match = matcher(filter, meta);
      const from = (afterSeq ?? transport.lastSeq()) + 1;
      const read = async () => {
        for await (const r of transport.read(from, { untilSeq: transport.lastSeq() })) {
          if (closed) return;
          if (r.type === 'MarketTick' || !match(r)) continue;
          const slow = onEvent(eventOf(meta, r));
          if (slow) await slow;
        }
      };
      read().catch((err: unknown) => {
        if (!closed) onError(err instanceof Error ? err : new Error(String(err)));
      });
      return () => {
        closed = true;
      };
    },
    latestSeq: () => transport.lastSeq(),
  };
}
