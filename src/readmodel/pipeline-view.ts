/**
 * The in-process pipeline read model: per broker and stage (ticks → signals → validated or
 * rejected → orders → fills or failed), how many records, and the seq and time of the last one.
 * The stages other than `ticks` are the Redis projection's `pipeline:{stage}:{broker}` figures,
 * counted the same way (stageOf, by the record's broker).
 */
import type { JournalRecord, MarketTick } from '../model/index.js';
import { PIPELINE_STAGES, stageOf } from './redis-keys.js';

/** The market data stage: tick records, all on the shared scope. */
export const TICKS_STAGE = 'ticks';
const TICKS_SCOPE = 'shared';

/** Every stage in pipeline order. */
export const STAGE_ORDER: readonly string[] = [TICKS_STAGE, ...Object.values(PIPELINE_STAGES)];

export interface StageHealth {
  readonly broker: string;
  readonly stage: string;
  readonly count: number;
  /** Seq of its last record; null before the first. */
  readonly lastSeq: number | null;
  /** Record time of its last record, ISO-8601 UTC; null before the first. */
  readonly lastAt: string | null;
  /** Whole seconds from its last record to `nowMs` (never negative); null before the first. */
  readonly ageSeconds: number | null;
}

interface StageState {
  readonly broker: string;
  readonly stage: string;
  count: number;
  seq: number;
  ts: number;
}

export class PipelineReadModel {
  private readonly states = new Map<string, StageState>();
  private readonly brokers = new Set<string>();

  /**
   * `brokers` are listed with every stage from the start (count 0), so a stage that never ran
   * shows as such rather than not at all.
   */
  constructor(brokers: readonly string[] = []) {
    this.entry(TICKS_STAGE, TICKS_SCOPE);
    for (const b of brokers) this.declare(b);
  }

  /** Applies one journal record (a tap on the switchboard or a record read back). */
  apply(r: JournalRecord): void {
    const stage = r.type === 'MarketTick' ? TICKS_STAGE : stageOf(r.type);
    if (stage === undefined) return;
    if (stage !== TICKS_STAGE) this.declare(r.broker);
    const s = this.entry(stage, r.broker);
    s.count++;
    s.seq = r.seq;
    s.ts = r.ts;
  }

  /** Counts a tick batch as the switchboard's tick tap gives it (ticks[i] has seq firstSeq + i). */
  applyTicks(ticks: readonly MarketTick[], firstSeq: number, ts: number): void {
    if (ticks.length === 0) return;
    const s = this.entry(TICKS_STAGE, TICKS_SCOPE);
    s.count += ticks.length;
    s.seq = firstSeq + ticks.length - 1;
    s.ts = ts;
  }

  /** Every (broker, stage), by broker then in pipeline order, aged against `nowMs` (epoch ms). */
  stages(nowMs: number): StageHealth[] {
    const rank = (stage: string) => STAGE_ORDER.indexOf(stage);
    return [...this.states.values()]
      .sort((a, b) => a.broker.localeCompare(b.broker) || rank(a.stage) - rank(b.stage))
      .map((s) => ({
        broker: s.broker,
        stage: s.stage,
        count: s.count,
        lastSeq: s.count === 0 ? null : s.seq,
        lastAt: s.count === 0 ? null : new Date(s.ts).toISOString(),
        ageSeconds: s.count === 0 ? null : Math.max(0, Math.floor((nowMs - s.ts) / 1000)),
      }));
  }

  /** Lists every stage of `broker` (a broker first seen in a record gets all of its stages too). */
  private declare(broker: string): void {
    if (this.brokers.has(broker)) return;
    this.brokers.add(broker);
    for (const s of Object.values(PIPELINE_STAGES)) this.entry(s, broker);
  }

  private entry(stage: string, broker: string): StageState {
    const id = `${stage}:${broker}`;
    let s = this.states.get(id);
    if (s === undefined) this.states.set(id, (s = { broker, stage, count: 0, seq: 0, ts: 0 }));
    return s;
  }
}
