/**
 * Opening the trading system at start: recovery from the journal (ARCHITECTURE "Recovery,
 * replay, backtest"). When the journal's last run was built from the configuration this process
 * has (same instruments, strategies, brokers, budget; same machine versions), its actors are
 * rebuilt from its RunStarted and driven with every recorded input after it, in replay mode:
 * the clock follows the records, derived messages are compared with the recorded ones (each
 * difference is journaled as a ReplayDivergence once live), and only what the crashed process
 * derived but never made durable is written. Then the clock goes live and the run continues, with
 * its portfolios, positions and strategy state as if the process had never stopped.
 *
 * Otherwise (an empty journal, a changed configuration or other machine versions) a new run
 * starts with fresh actors. Snapshots, which would bound the replay, are not built yet.
 */
import type { Logger } from 'pino';
import { TradingSystem, versionProblem } from '../actors/index.js';
import {
  SYSTEM_EVENTS,
  type JournalRecord,
  type ReplayDivergence,
  type RunStarted,
} from '../model/index.js';
import { hrtimeNs, RecoveryClock } from '../runtime/clock.js';
import { IdGenerator, SeededRandom } from '../runtime/ids.js';
import type { LogTransport } from '../runtime/transport.js';
import { ResumeTransport } from '../runtime/transports/resume.js';
import { INPUTS, Replayer } from './replayer.js';
import { systemOptions } from './run-spec.js';

export interface Opened {
  readonly system: TradingSystem;
  readonly clock: RecoveryClock;
  /** Set when the last run was recovered. */
  readonly recovered: {
    readonly runStartSeq: number;
    readonly throughSeq: number;
    readonly records: number;
    readonly ticks: number;
    readonly divergences: number;
    readonly millis: number;
  } | null;
}

/** Why the recorded run cannot be continued with `current`, or null. */
function incompatibility(recorded: RunStarted, current: RunStarted): string | null {
  const versions = versionProblem(recorded.machines);
  if (versions !== null) return versions;
  const shape = (r: RunStarted) =>
    JSON.stringify([r.instruments, r.strategies, r.brokers, r.budget]);
  if (shape(recorded) !== shape(current))
    return 'the configuration (instruments, strategies, brokers or restart budget) changed since it started';
  return null;
}

export async function openTradingSystem(p: {
  transport: LogTransport;
  /** The run this process would start: its configuration and seed. */
  current: RunStarted;
  bridge: { batchRecords: number; maxBacklog: number };
  log: Logger;
  /** The wall clock's now, for a new journal's identity. */
  nowMs: number;
}): Promise<Opened> {
  const { transport, log } = p;
  const nonce = new IdGenerator(new SeededRandom(p.current.seed).fork('journal')).nonce();
  const meta = await transport.open({ nonce, createdMs: p.nowMs });
  let last: JournalRecord | null = null;
  if (meta.lastSeq > 0)
    for await (const r of transport.read(1, { topics: [SYSTEM_EVENTS] }))
      if (r.type === 'RunStarted') last = r;

  const onJournalProblem = (m: string) => log.warn(m);
  const why = last === null ? null : incompatibility(last.data as RunStarted, p.current);
  if (last === null || why !== null) {
    if (last !== null)
      log.warn(
        { reason: why, runStartedAt: last.seq },
        'starting a new run: the last one cannot be continued',
      );
    const clock = new RecoveryClock(p.nowMs);
    clock.goLive();
    const system = await TradingSystem.open(
      systemOptions(p.current, {
        clock,
        random: new SeededRandom(p.current.seed),
        transport: new ResumeTransport(transport, meta, meta.lastSeq),
        bridge: p.bridge,
        onJournalProblem,
      }),
    );
    return { system, clock, recovered: null };
  }

  const t0 = hrtimeNs();
  const clock = new RecoveryClock(last.ts);
  const replayer = await Replayer.open(last, {
    transport: new ResumeTransport(transport, meta, last.seq - 1),
    clock,
    onJournalProblem,
  });
  let records = 0;
  let ticks = 0;
  const divergences: { seq: number; recorded: JournalRecord; replayed: JournalRecord | null }[] =
    [];
  for await (const r of transport.read(last.seq + 1, { untilSeq: meta.lastSeq })) {
    records++;
    if (INPUTS.has(r.type)) {
      if (r.type === 'MarketTick') ticks++;
      replayer.input(r);
      continue;
    }
    const m = replayer.matches(r);
    if (!m.ok) divergences.push({ seq: r.seq, recorded: r, replayed: m.replayed });
  }
  replayer.settle();
  replayer.stopComparing();
  clock.goLive();
  const system = replayer.system;
  for (const d of divergences) {
    const msg: ReplayDivergence = {
      type: 'ReplayDivergence',
      seq: d.seq,
      recorded: d.recorded,
      replayed: d.replayed,
    };
    system.switchboard.ingest(msg, SYSTEM_EVENTS, null, String(d.seq), 'recovery');
  }
  return {
    system,
    clock,
    recovered: {
      runStartSeq: last.seq,
      throughSeq: meta.lastSeq,
      records,
      ticks,
      divergences: divergences.length,
      millis: Math.round(Number(hrtimeNs() - t0) / 1e6),
    },
  };
}
