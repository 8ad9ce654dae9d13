/**
 * Time travel: every actor as it was at a journal seq, computed by replaying the journal through
 * the same actors (the Replayer; never a second implementation of their logic).
 *
 * What "at seq N" means: the actors once every record with seq ≤ N has been delivered and no later
 * one has. Delivery runs to completion, but one message at a time, in seq order, from one FIFO
 * queue: the switchboard tells `watchDeliveries` the seq of each record about to be delivered, and
 * the actors are read when it first passes N (each at rest between two messages). So N may stand
 * inside an input's chain: a fill's portfolio is read without the fill one step before it. A tick
 * batch cut by N is delivered with its ticks ≤ N, as replay settles a batch a crash cut. This is
 * what `runReplay(transport, { until: N })` gives when its deliveries are watched the same way.
 *
 * Cost. One replayer is kept positioned at the last seq read: a seq whose input comes later moves
 * it forward (reading only the records in between); one inside a chain already fed, an earlier
 * one, or one after a cut tick batch was settled (the settled ticks cannot be taken back), starts
 * again: from the newest snapshot when it is at or before the seq asked (restored as recovery
 * restores it, the same state a replay reaches there), else from the start of the run. A snapshot past the replayer's position but
 * not past the seq asked is also a shorter way forward, and is taken.
 */
import type { JournalRecord } from '../../model/index.js';
import { SimulatedClock, type LogTransport, type Snapshot } from '../../runtime/index.js';
import type { StrategyRegistry } from '../../strategies/index.js';
import { discardJournal } from '../compose.js';
import { INPUTS, Replayer } from '../replayer.js';
import type { SystemState } from '../system-state.js';
import { MACHINE_VERSIONS } from '../versions.js';
import { recordAt } from './message-view.js';
import type { TradingSystem } from '../trading-system.js';
import { MessageCounters } from './message-counters.js';
import { actorTree, type ActorDetail } from './actor-view.js';

export interface TravelPoint {
  /** The seq the system stands at. */
  readonly seq: number;
  /** The replayed system, positioned at `seq`; valid until the next call of `at`. */
  readonly system: TradingSystem;
  /** Messages in and out of each actor in the replayed run, through `seq`. */
  readonly counters: MessageCounters;
  /**
   * The actors read the moment every record up to `seq` had been delivered, before the rest of
   * its input's chain (`system` stands after the whole chain); absent when nothing came after.
   */
  readonly actors?: ActorDetail[];
}

export interface TimeTravelOptions {
  /** The strategy types the runs used, when not only the built-in ones. */
  readonly registry?: StrategyRegistry;
  /** The newest snapshot of this journal, if any (the store keeps only the newest). */
  readonly snapshot?: () => Promise<Snapshot | null>;
}

export class TimeTravel {
  private seg: Replayer | null = null;
  private counters = new MessageCounters();
  /** The last seq read into the replayer. */
  private pos = 0;
  /** A cut tick batch was settled at `pos`: the replayer cannot move on from there. */
  private settled = false;
  private busy: Promise<unknown> = Promise.resolve();
  /** Replays started again, counted (for tests and metrics)... */
  restarts = 0;
  /** ...and how many of them started from a snapshot. */
  fromSnapshot = 0;

  constructor(
    private readonly transport: LogTransport,
    private readonly opts: TimeTravelOptions = {},
  ) {}

  /**
   * The system as it was at `seq` (1 ≤ seq ≤ the journal's last seq); null when the journal has
   * no run at or before `seq`. Calls are served one at a time, in order.
   */
  at(seq: number): Promise<TravelPoint | null> {
    const next = this.busy.then(
      () => this.move(seq),
      () => this.move(seq),
    );
    this.busy = next.catch(() => undefined);
    return next;
  }

  private async move(seq: number): Promise<TravelPoint | null> {
    // "At seq" is exact to the message: the actors are read once every record up to `seq` has been
    // delivered and before any later one is (deliveries go in seq order). That is inside the
    // chain of `seq`'s input (its root), so that input must be fed with the deliveries watched:
    // the replayer has to stand before it.
    const target = await recordAt(this.transport, seq);
    const root = target !== null && !INPUTS.has(target.type) ? target.correlationSeq : seq;
    const snap = await this.snapshotAtOrBefore(root - 1);
    const shorter = snap !== null && snap.seq > this.pos;
    if (this.seg === null || root <= this.pos || seq < this.pos || this.settled || shorter) {
      await this.reset();
      if (snap !== null) await this.restore(snap);
    }
    let actors: ActorDetail[] | undefined;
    this.watching = (next: number) => {
      if (actors === undefined && next > seq && this.seg !== null)
        actors = actorTree(this.seg.system, { counters: this.counters });
    };
    try {
      if (seq > this.pos) {
        for await (const r of this.transport.read(this.pos + 1, { untilSeq: seq }))
          await this.feed(r);
        this.pos = seq;
      }
    } finally {
      this.watching = null;
    }
    const seg = this.seg as Replayer | null;
    if (seg === null) return null;
    if (seg.pendingTicks !== null && seg.pendingTicks.records.length > 0) {
      seg.settle();
      this.settled = true;
    }
    return {
      seq,
      system: seg.system,
      counters: this.counters,
      ...(actors !== undefined ? { actors } : {}),
    };
  }

  /** Told each delivered record's seq while `move` feeds the replayer. */
  private watching: ((next: number) => void) | null = null;

  /** The newest snapshot when it is usable at `seq`: at or before it, by these machines. */
  private async snapshotAtOrBefore(seq: number): Promise<Snapshot | null> {
    const snap = this.opts.snapshot ? await this.opts.snapshot().catch(() => null) : null;
    if (snap === null || snap.seq > seq) return null;
    if (JSON.stringify(snap.machines) !== JSON.stringify(MACHINE_VERSIONS)) return null;
    return snap;
  }

  /** Positions a fresh replayer at the snapshot's seq, restored from it. */
  private async restore(snap: Snapshot): Promise<void> {
    const run = await recordAt(this.transport, snap.runStartSeq);
    if (run === null || run.type !== 'RunStarted') return;
    this.seg = await Replayer.open(run, {
      transport: discardJournal(snap.seq),
      clock: new SimulatedClock(snap.ts),
      restore: { state: snap.state as SystemState, ts: snap.ts },
      ...(this.opts.registry ? { registry: this.opts.registry } : {}),
    });
    this.tapped(this.seg);
    this.pos = snap.seq;
    this.fromSnapshot++;
  }

  private tapped(seg: Replayer): void {
    seg.system.switchboard.watchDeliveries((next) => this.watching?.(next));
    seg.system.switchboard.tap(this.counters.tap);
    seg.system.switchboard.tapTicks(this.counters.ticks);
    seg.stopComparing();
  }

  private async reset(): Promise<void> {
    if (this.seg) await this.seg.close();
    this.seg = null;
    this.pos = 0;
    this.settled = false;
    this.counters = new MessageCounters();
    this.restarts++;
  }

  private async feed(r: JournalRecord): Promise<void> {
    if (r.type === 'RunStarted') {
      if (this.seg) {
        this.seg.settle();
        await this.seg.close();
      }
      this.counters = new MessageCounters();
      this.seg = await Replayer.open(r, {
        transport: discardJournal(r.seq - 1),
        clock: new SimulatedClock(r.ts),
        ...(this.opts.registry ? { registry: this.opts.registry } : {}),
      });
      this.tapped(this.seg);
      return;
    }
    const seg = this.seg;
    if (seg === null) return;
    if (INPUTS.has(r.type)) seg.input(r);
    else seg.settle();
  }

  /** Closes the replayer. */
  async close(): Promise<void> {
    await this.busy;
    if (this.seg) await this.seg.close();
    this.seg = null;
  }
}
