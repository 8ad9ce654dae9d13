/**
 * The Redis read model (SPEC §7): the in-process portfolio read model plus pipeline stage
 * counters, kept in memory and written to Redis behind the caller's back.
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
import {
  OWNED_KEY_PATTERNS,
  parsePortfolioMember,
  portfolioMember,
  redisKeys,
  stageOf,
  type PipelineStage,
} from './redis-keys.js';

/** Starts a repeating timer; returns the function that stops it. */
export type IntervalScheduler = (fn: () => void, everyMs: number) => () => void;

export interface RedisProjectionOptions {
  /** How often dirty keys are written, ms; 0 writes only on flush(). Default 200. */
  readonly flushEveryMs?: number | undefined;
  /**
   * Receives the errors of timer-driven flushes (one per tick while Redis is down) and of
   * close(); nothing is ever thrown into apply().
   */
  readonly onError?: (err: Error) => void;
  /** The timer behind flushEveryMs (tests inject one they fire by hand). */
  readonly schedule?: IntervalScheduler;
}

const defaultSchedule: IntervalScheduler = (fn, everyMs) => {
  const h = setInterval(fn, everyMs);
  // The read model must never keep a process alive that is otherwise done.
  h.unref();
  return () => clearInterval(h);
};

interface StageState {
  readonly stage: PipelineStage;
  readonly broker: BrokerScope;
  seq: number;
  ts: number;
  count: number;
}

/** What one write covers: portfolio members, stage ids (`stage:broker`) and whether the seq. */
interface WriteSet {
  readonly portfolios: Set<string>;
  readonly stages: Set<string>;
  seq: boolean;
}

const emptyWriteSet = (): WriteSet => ({ portfolios: new Set(), stages: new Set(), seq: false });

/** SCAN page size when rebuild looks for the keys it owns. */
const SCAN_COUNT = 1_000;
/** Keys per UNLINK command, so one command never carries an unbounded argument list. */
const UNLINK_CHUNK = 500;

/**
 * Consumes journal records like PortfolioReadModel and mirrors the state into Redis. apply()
 * only touches memory and marks keys dirty; flushes write the dirty keys' current values
 * (absolute values, never INCR, so a retried flush cannot double count) in one MULTI, at most
 * one flush at a time.
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
  private readonly stopTimer: () => void;
  private readonly onError: (err: Error) => void;

  constructor(
    private readonly redis: Redis,
    opts: RedisProjectionOptions = {},
  ) {
    this.onError = opts.onError ?? (() => {});
    const every = opts.flushEveryMs ?? 200;
    if (!Number.isInteger(every) || every < 0) {
      throw new RangeError(`flushEveryMs must be a whole number of ms ≥ 0, got ${every}`);
    }
    this.stopTimer =
      every === 0 ? () => {} : (opts.schedule ?? defaultSchedule)(() => this.tick(), every);
  }

  /** Applies one journal record; a MarketTick record is routed to applyTicks. */
  apply(r: JournalRecord): void {
    if (r.type === 'MarketTick') {
      this.applyTicks([r.data as MarketTick], r.seq);
      return;
    }
    this.model.apply(r);
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
   * Writes every dirty key. Rejects with ReadModelWriteFailed when Redis refuses; the keys stay
   * dirty for the next flush. When a flush is already running, waits for it and then runs one
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
    const all: WriteSet = {
      portfolios: new Set(this.holdings.keys()),
      stages: new Set(this.stages.keys()),
      seq: true,
    };
    this.dirty = emptyWriteSet();
    try {
      const stale = await this.ownedKeys();
      const m = this.redis.multi();
      for (let i = 0; i < stale.length; i += UNLINK_CHUNK) {
        m.unlink(...stale.slice(i, i + UNLINK_CHUNK));
      }
      this.queueWrites(m, all);
      await execOrThrow(m);
    } catch (err) {
      // Stale keys may remain, but every current key is rewritten by the next flush.
      this.merge(all);
      throw new ReadModelWriteFailed(`rebuild the read model (${n} records)`, err);
    }
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
    const w = this.dirty;
    if (w.portfolios.size === 0 && w.stages.size === 0 && !w.seq) return;
    this.dirty = emptyWriteSet();
    try {
      const m = this.redis.multi();
      this.queueWrites(m, w);
      await execOrThrow(m);
    } catch (err) {
      this.merge(w);
      const keys = w.portfolios.size * 2 + w.stages.size * 2 + (w.seq ? 1 : 0);
      throw new ReadModelWriteFailed(`write ${keys} read model keys`, err);
    }
  }

  private queueWrites(m: ReturnType<Redis['multi']>, w: WriteSet): void {
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

  /** Puts a failed write's keys back, next to whatever became dirty meanwhile. */
  private merge(w: WriteSet): void {
    for (const p of w.portfolios) this.dirty.portfolios.add(p);
    for (const s of w.stages) this.dirty.stages.add(s);
    this.dirty.seq ||= w.seq;
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
  }

  /** Waits until no flush is running or queued. */
  private async idle(): Promise<void> {
    while (this.inFlight !== null || this.queued !== null) {
      await (this.queued ?? this.inFlight)?.catch(() => {});
    }
  }

  private async ownedKeys(): Promise<string[]> {
    const out = new Set<string>();
    for (const pattern of OWNED_KEY_PATTERNS) {
      let cursor = '0';
      do {
        const [next, found] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
        for (const k of found) out.add(k);
        cursor = next;
      } while (cursor !== '0');
    }
    return [...out];
  }
}

/** Runs a MULTI; rejects when EXEC does or when any command inside it failed. */
async function execOrThrow(m: ReturnType<Redis['multi']>): Promise<void> {
  const results = await m.exec();
  if (results === null) throw new Error('the transaction was discarded (EXEC returned null)');
  for (const [err] of results) if (err) throw err;
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
