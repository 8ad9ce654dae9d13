/**
 * The Redis read model (SPEC §7): the in-process portfolio read model plus pipeline stage
 * counters, kept in memory and written to Redis behind the caller's back; a Redis that lost the
 * keys (restarted empty, flushed, failed over to a stale replica) is rewritten whole from memory.
 */
import type { Redis } from 'ioredis';
import type {
  BrokerName,
  BrokerScope,
  JournalRecord,
  MarketTick,
  PortfolioSnapshot,
} from '../model/index.js';
import { ReadModelWriteFailed } from './errors.js';
import { closeRedis } from './redis-client.js';
import type { PortfolioSource } from './portfolio-source.js';
import { PortfolioReadModel } from './portfolio-view.js';
import { ORDER_RECORDS } from './order-view.js';
import {
  parsePortfolioMember,
  portfolioMember,
  redisKeys,
  stageOf,
  type PipelineStage,
} from './redis-keys.js';
import {
  emptyWriteSet,
  execOrThrow,
  isEmptyWriteSet,
  keyCount,
  mergeWriteSet,
  queueUnlinks,
  scanOwnedKeys,
  type Multi,
  type WriteSet,
} from './redis-write-set.js';
import {
  defaultSchedule,
  type ReadModelRewrite,
  type RedisProjectionOptions,
} from './redis-projection-options.js';

export type {
  IntervalScheduler,
  ReadModelRewrite,
  RedisProjectionOptions,
} from './redis-projection-options.js';

interface StageState {
  readonly stage: PipelineStage;
  readonly broker: BrokerScope;
  seq: number;
  ts: number;
  count: number;
}

/**
 * Consumes journal records like PortfolioReadModel and mirrors the state into Redis. apply()
 * only touches memory and marks keys dirty; flushes write the dirty keys' current values
 * (absolute values, never INCR, so a retried flush cannot double count) in one MULTI, at most
 * one flush at a time. Each flush (and each reconnection) also reads readmodel:seq in the same
 * round trip: when it is missing or below what the projection wrote last, Redis has lost keys,
 * and every key is rewritten from memory before the flush resolves.
 */
export class RedisProjection {
  private model = new PortfolioReadModel();
  /** Portfolio member → tokens of its positions, so a tick marks only its holders dirty. */
  private readonly holdings = new Map<string, readonly number[]>();
  private readonly holders = new Map<number, Set<string>>();
  private readonly stages = new Map<string, StageState>();
  private seq = 0;
  // The first flush writes readmodel:seq even when no record came: its presence tells a reader
  // that the read model has been built.
  private dirty: WriteSet = { ...emptyWriteSet(), seq: true };
  private inFlight: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  /** Settles when the running rebuild does; null when none runs. */
  private rebuilding: Promise<unknown> | null = null;
  /** The readmodel:seq of the last write known to have landed; null before the first. */
  private written: number | null = null;
  /** Set from finding Redis behind until the rewrite of every key has landed. */
  private lost: { found: string | null; expected: number } | null = null;
  private readonly stopTimer: () => void;
  private readonly onError: (err: Error) => void;
  private readonly onRewrite: (rewrite: ReadModelRewrite) => void;
  /** A reconnected Redis may be a restarted, empty one: check at once, not at the next tick. */
  private readonly onReady = () => {
    this.flush().catch((err: unknown) => this.onError(asError(err)));
  };

  constructor(
    private readonly redis: Redis,
    opts: RedisProjectionOptions = {},
  ) {
    this.onError = opts.onError ?? (() => {});
    this.onRewrite = opts.onRewrite ?? (() => {});
    const every = opts.flushEveryMs ?? 200;
    if (!Number.isInteger(every) || every < 0) {
      throw new RangeError(`flushEveryMs must be a whole number of ms ≥ 0, got ${every}`);
    }
    this.stopTimer =
      every === 0 ? () => {} : (opts.schedule ?? defaultSchedule)(() => this.tick(), every);
    redis.on('ready', this.onReady);
  }

  /** Applies one journal record; a MarketTick record is routed to applyTicks. */
  apply(r: JournalRecord): void {
    if (r.type === 'MarketTick') {
      this.applyTicks([r.data as MarketTick], r.seq);
      return;
    }
    this.model.apply(r);
    if (ORDER_RECORDS.has(r.type)) {
      // An order's change shows in its portfolio's open orders.
      const o = r.data as { broker: BrokerName; strategyId: string };
      this.dirty.portfolios.add(portfolioMember(o.broker, o.strategyId));
    }
    if (r.type === 'PortfolioSnapshot') {
      const s = r.data as PortfolioSnapshot;
      this.hold(s);
      this.dirty.portfolios.add(portfolioMember(s.broker, s.strategyId));
    }
    const stage = stageOf(r.type);
    if (stage !== undefined) this.count(stage, r);
    this.advance(r.seq);
  }

  /**
   * Marks instruments to the latest ticks (the switchboard's tick tap: ticks[i] has seq
   * firstSeq + i when given).
   */
  applyTicks(ticks: readonly MarketTick[], firstSeq?: number): void {
    this.model.applyTicks(ticks);
    for (const t of ticks) {
      const hs = this.holders.get(t.token);
      if (hs) for (const m of hs) this.dirty.portfolios.add(m);
    }
    if (firstSeq !== undefined && ticks.length > 0) this.advance(firstSeq + ticks.length - 1);
  }

  /** Declares a portfolio that has had no fill yet, so it is listed from the start. */
  declare(snap: PortfolioSnapshot): void {
    const m = portfolioMember(snap.broker, snap.strategyId);
    if (this.holdings.has(m)) return;
    this.model.declare(snap);
    this.hold(snap);
    this.dirty.portfolios.add(m);
  }

  /**
   * The in-memory state, for a process that serves its API from memory and only publishes to
   * Redis. Stable across rebuilds.
   */
  readonly portfolios: PortfolioSource = {
    list: () => this.model.list(),
    get: (broker, strategyId) => this.model.get(broker, strategyId),
  };

  /** Seq of the last journal record applied. */
  get lastSeq(): number {
    return this.seq;
  }

  /**
   * Writes every dirty key, and every key when Redis turns out to have lost the read model.
   * Rejects with ReadModelWriteFailed when Redis refuses; the keys stay dirty for the next flush. When a flush is already running, waits for it and then runs one
   * more, so everything applied before the call is covered when it resolves.
   */
  flush(): Promise<void> {
    // A flush in the middle of a rebuild would publish a half-applied journal.
    if (this.rebuilding !== null) return this.rebuilding.then(() => this.flush());
    if (this.inFlight === null) return this.startFlush();
    const after = this.inFlight.then(
      () => {},
      () => {},
    );
    this.queued ??= after.then(() => {
      this.queued = null;
      return this.flush();
    });
    return this.queued;
  }

  /**
   * Replaces memory and Redis with the projection of `records` (the journal from its start):
   * applies them all, then in one MULTI unlinks every key this projection owns and writes the
   * full state, so a reader sees the old state or the new, never a mix. Call it before tapping
   * live records; portfolios declared earlier are forgotten, so declare them afterwards.
   * Resolves with the number of records applied; when reading `records` fails, rejects with
   * that error and memory holds what came before it.
   */
  async rebuild(records: AsyncIterable<JournalRecord>): Promise<number> {
    if (this.rebuilding !== null) throw new Error('a rebuild is already running; await it first');
    const run = this.replaceAll(records);
    this.rebuilding = run.catch(() => {});
    try {
      return await run;
    } finally {
      this.rebuilding = null;
    }
  }

  /** Stops the timer, writes what is dirty (a failure goes to onError) and quits Redis. */
  async close(): Promise<void> {
    this.stopTimer();
    this.redis.off('ready', this.onReady);
    try {
      await this.flush();
    } catch (err) {
      this.onError(asError(err));
    }
    await closeRedis(this.redis);
  }

  private async replaceAll(records: AsyncIterable<JournalRecord>): Promise<number> {
    await this.idle();
    this.reset();
    let n = 0;
    for await (const r of records) {
      this.apply(r);
      n++;
    }
    const all = this.everything();
    this.dirty = emptyWriteSet();
    try {
      const stale = await scanOwnedKeys(this.redis);
      const m = this.redis.multi();
      queueUnlinks(m, stale);
      this.queueWrites(m, all);
      await execOrThrow(m);
    } catch (err) {
      // Stale keys may remain, but every current key is rewritten by the next flush.
      mergeWriteSet(this.dirty, all);
      throw new ReadModelWriteFailed(`rebuild the read model (${n} records)`, err);
    }
    this.written = this.seq;
    return n;
  }

  private tick(): void {
    // A timer flush never queues behind another: the next tick comes soon enough.
    if (this.inFlight !== null || this.rebuilding !== null) return;
    this.startFlush().catch((err: unknown) => this.onError(asError(err)));
  }

  private startFlush(): Promise<void> {
    const p = this.writeDirty().finally(() => {
      if (this.inFlight === p) this.inFlight = null;
    });
    this.inFlight = p;
    return p;
  }

  private async writeDirty(): Promise<void> {
    if (this.lost !== null) return this.rewriteAll(this.lost);
    const expected = this.written;
    const w = this.dirty;
    let found: string | null;
    if (isEmptyWriteSet(w)) {
      // Nothing to write, but a Redis that came back empty must be filled even when no record
      // comes: one GET. Skipped while disconnected; the reconnection triggers a check.
      if (expected === null || this.redis.status !== 'ready') return;
      try {
        found = await this.redis.get(redisKeys.seq);
      } catch (err) {
        throw new ReadModelWriteFailed(`read ${redisKeys.seq}`, err);
      }
    } else {
      this.dirty = emptyWriteSet();
      const seq = this.seq;
      try {
        const m = this.redis.multi();
        // Read before this MULTI's own writes: what Redis held after the last flush.
        m.get(redisKeys.seq);
        this.queueWrites(m, w);
        found = (await execOrThrow(m))[0] as string | null;
      } catch (err) {
        mergeWriteSet(this.dirty, w);
        throw new ReadModelWriteFailed(`write ${keyCount(w)} read model keys`, err);
      }
      if (w.seq) this.written = seq;
    }
    // A seq above what was written is a write whose reply was lost, not a loss.
    if (expected !== null && (found === null || !(Number(found) >= expected))) {
      this.lost = { found, expected };
      await this.rewriteAll(this.lost);
    }
  }

  /** Writes every key from memory into a Redis found to have lost them; told once it lands. */
  private async rewriteAll(lost: { found: string | null; expected: number }): Promise<void> {
    const all = this.everything();
    this.dirty = emptyWriteSet();
    const seq = this.seq;
    try {
      const m = this.redis.multi();
      this.queueWrites(m, all);
      await execOrThrow(m);
    } catch (err) {
      // `lost` stays set: the next flush writes everything again.
      throw new ReadModelWriteFailed(
        `rewrite all ${keyCount(all)} read model keys into a Redis that had lost them`,
        err,
      );
    }
    this.lost = null;
    this.written = seq;
    this.onRewrite({ ...lost, seq, keys: keyCount(all) });
  }

  /** Every key the projection writes from its current state. */
  private everything(): WriteSet {
    return {
      portfolios: new Set(this.holdings.keys()),
      stages: new Set(this.stages.keys()),
      seq: true,
    };
  }

  private queueWrites(m: Multi, w: WriteSet): void {
    for (const member of w.portfolios) {
      const { broker, strategyId } = parsePortfolioMember(member);
      const v = this.model.get(broker, strategyId);
      if (!v) continue;
      const b = broker as BrokerName;
      m.set(redisKeys.portfolio(b, strategyId), JSON.stringify(v));
      m.set(redisKeys.positions(b, strategyId), JSON.stringify(v.positions));
      m.sadd(redisKeys.portfolios, member);
    }
    for (const id of w.stages) {
      const s = this.stages.get(id);
      if (!s) continue;
      m.set(redisKeys.stageLast(s.stage, s.broker), JSON.stringify({ seq: s.seq, ts: s.ts }));
      m.set(redisKeys.stageCount(s.stage, s.broker), String(s.count));
    }
    if (w.seq) m.set(redisKeys.seq, String(this.seq));
  }

  private hold(s: PortfolioSnapshot): void {
    const m = portfolioMember(s.broker, s.strategyId);
    for (const t of this.holdings.get(m) ?? []) this.holders.get(t)?.delete(m);
    const tokens = s.positions.map((p) => p.token);
    this.holdings.set(m, tokens);
    for (const t of tokens) {
      let hs = this.holders.get(t);
      if (!hs) this.holders.set(t, (hs = new Set()));
      hs.add(m);
    }
  }

  private count(stage: PipelineStage, r: JournalRecord): void {
    const id = `${stage}:${r.broker}`;
    let s = this.stages.get(id);
    if (!s) this.stages.set(id, (s = { stage, broker: r.broker, seq: 0, ts: 0, count: 0 }));
    s.seq = r.seq;
    s.ts = r.ts;
    s.count++;
    this.dirty.stages.add(id);
  }

  private advance(seq: number): void {
    if (seq <= this.seq) return;
    this.seq = seq;
    this.dirty.seq = true;
  }

  private reset(): void {
    this.model = new PortfolioReadModel();
    this.holdings.clear();
    this.holders.clear();
    this.stages.clear();
    this.seq = 0;
    this.dirty = emptyWriteSet();
    this.lost = null;
  }

  /** Waits until no flush is running or queued. */
  private async idle(): Promise<void> {
    while (this.inFlight !== null || this.queued !== null) {
      await (this.queued ?? this.inFlight)?.catch(() => {});
    }
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
