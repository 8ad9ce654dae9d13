/**
 * The signal and pipeline read models of a running system: built from the journal since its
 * first record, then fed by the switchboard's taps. What is journaled while the journal is read
 * is held and applied after it, so none is missed and none counted twice.
 */
import type { JournalRecord, MarketTick } from '../model/index.js';
import { PipelineReadModel, SignalReadModel } from '../readmodel/index.js';
import type { LogTransport } from '../runtime/index.js';
import type { TradingSystem } from './trading-system.js';

export interface JournalViews {
  readonly signals: SignalReadModel;
  readonly pipeline: PipelineReadModel;
  /**
   * Settles once the journal has been read and the views are live, with the number of records
   * read; rejects when the journal cannot be read whole (the views go live all the same).
   */
  readonly ready: Promise<number>;
}

/**
 * Starts the views of `system`, whose journal `transport` holds; `brokers` are listed in the
 * pipeline from the start. The views answer at once, and are complete once `ready` settles.
 */
export function startJournalViews(
  system: TradingSystem,
  transport: LogTransport,
  brokers: readonly string[],
  signalCapacity?: number,
): JournalViews {
  const signals = new SignalReadModel(signalCapacity);
  const pipeline = new PipelineReadModel(brokers);
  const apply = (r: JournalRecord) => {
    signals.apply(r);
    pipeline.apply(r);
  };
  let live = false;
  const held: JournalRecord[] = [];
  const heldTicks: [readonly MarketTick[], number, number][] = [];
  system.switchboard.tap((r) => (live ? apply(r) : held.push(r)));
  system.switchboard.tapTicks((ticks, firstSeq, ts) => {
    if (live) pipeline.applyTicks(ticks, firstSeq, ts);
    else heldTicks.push([ticks, firstSeq, ts]);
  });
  const ready = (async () => {
    await system.bridge.flush();
    const through = system.bridge.durableSeq;
    let n = 0;
    try {
      for await (const r of transport.read(1, { untilSeq: through })) {
        apply(r);
        n++;
      }
    } finally {
      // Live from here on even when the journal could not be read whole: the views then lack
      // part of the past, but keep counting.
      for (const r of held) if (r.seq > through) apply(r);
      for (const [ticks, firstSeq, ts] of heldTicks) {
        // A batch may straddle `through`: only its ticks after it are new.
        const skip = Math.max(0, through + 1 - firstSeq);
        if (skip < ticks.length) pipeline.applyTicks(ticks.slice(skip), firstSeq + skip, ts);
      }
      held.length = 0;
      heldTicks.length = 0;
      live = true;
    }
    return n;
  })();
  return { signals, pipeline, ready };
}
