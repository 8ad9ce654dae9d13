/**
 * A Kafka journal of a million records reads back whole: the bench's reference workload (20
 * instruments x 50,000 ticks, one ema_cross per instrument, paper broker) is journaled to Kafka
 * on topics of its own, replayed with no divergence, and recovered from as the daemon does at
 * start. Its records carry the time they were written, not their (simulated, long past) record
 * time, so the topics' retention cannot delete them while they are read.
 */
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/index.js';
import {
  runSpec,
  TradingSystem,
  openTradingSystem,
  runBacktest,
  runReplay,
  systemOptions,
  type BacktestResult,
} from '../../src/system/index.js';
import type { RunStarted, StrategyConfig } from '../../src/model/index.js';
import { SimulatedClock, SystemClock } from '../../src/runtime/clock.js';
import { entropySeed } from '../../src/runtime/ids.js';
import { KafkaTransport } from '../../src/runtime/transports/kafka.js';
import {
  bootstrapTopics,
  topicTable,
  type TopicSpec,
} from '../../src/runtime/transports/kafka-topics.js';
import { infraUrl } from '../helpers/infra.js';
import { instruments } from '../helpers/system.js';

const brokers = infraUrl('KAFKA_BROKERS').split(',');
const admin = new Kafka({ clientId: 'million-test', brokers, logLevel: logLevel.NOTHING }).admin();
const prefix = `million-${entropySeed().toString(36)}.`;
const inst = instruments();
const SEED = 1;
const TICKS = 20 * 50_000;

const strategies: StrategyConfig[] = inst.map((i) => ({
  id: `ema_${i.token}`,
  type: 'ema_cross',
  params: { fast_period: 10, slow_period: 20, bar_ticks: 100, quantity: 100 },
  instruments: [i.token],
  brokers: ['paper'],
  enabled: true,
}));

/** The run as the bench describes it: one paper broker, default settings, flat 0.1% charges. */
function run(seed: number): RunStarted {
  const settings = loadSettings({ PAPER_TRADING__CHARGES_MODEL: 'flat' });
  return { ...runSpec(settings, inst, strategies, seed), budget: null };
}

let table: TopicSpec[];
let written: BacktestResult;
let lastSeq: number;
let writtenFromMs: number;
const transport = (readOnly = false) =>
  new KafkaTransport({ brokers, topics: table, prefix, readOnly });

beforeAll(async () => {
  await admin.connect();
  table = topicTable({ brokerCount: 1, partitionsMultiplier: 1, dlqForAll: false, prefix });
  await bootstrapTopics(admin, table);
  writtenFromMs = new SystemClock().now();
  const journal = transport();
  const { result, system } = await runBacktest(
    { ticks: TICKS, seed: SEED, batch: 100, instruments: inst, strategies },
    (clock, random) =>
      TradingSystem.open(
        systemOptions(run(random.seed), {
          clock,
          random,
          transport: journal,
          // Nothing to protect by halting offline: the backlog waits for Kafka instead.
          bridge: { maxBacklog: 1e12 },
        }),
      ),
  );
  await system.bridge.flush();
  lastSeq = journal.lastSeq();
  await system.close();
  written = result;
}, 600_000);

afterAll(async () => {
  await admin.deleteTopics({ topics: table.map((t) => t.name) }).catch(() => undefined);
  await admin.disconnect();
});

describe('a Kafka journal of a million records', () => {
  it('is journaled whole, each record stamped with the time it was written', async () => {
    expect(written.ticks).toBe(TICKS);
    expect(lastSeq).toBeGreaterThanOrEqual(1_000_000);
    expect(written.records).toBe(lastSeq);
    expect(written.fills).toBeGreaterThan(0);
    // Retention counts from a record's Kafka timestamp: the first record of every partition is
    // no older than the run (its record time is months earlier).
    const ticks = `${prefix}market.ticks`;
    const ends = await admin.fetchTopicOffsets(ticks);
    const since = await admin.fetchTopicOffsetsByTimestamp(ticks, writtenFromMs - 60_000);
    const used = ends.filter((p) => p.high !== '0');
    expect(used.length).toBeGreaterThan(0);
    for (const p of used)
      expect({
        partition: p.partition,
        low: p.low,
        firstWrittenSince: since.find((s) => s.partition === p.partition)?.offset,
      }).toEqual({ partition: p.partition, low: '0', firstWrittenSince: '0' });
  });

  it('replays whole with no divergence', async () => {
    const t = transport(true);
    const meta = await t.open({ nonce: 0, createdMs: 0 });
    try {
      expect(meta.lastSeq).toBe(lastSeq);
      const r = await runReplay(t);
      expect({
        records: r.records,
        divergences: r.divergences,
        first: r.firstDivergences.slice(0, 1),
      }).toEqual({ records: lastSeq, divergences: 0, first: [] });
      expect(r.fingerprint).toBe(r.recordedFingerprint);
      expect(r.recordedFingerprint).toBe(written.fingerprint);
    } finally {
      await t.close();
    }
  }, 300_000);

  it('recovers the run as the daemon does at start', async () => {
    const t = transport();
    const opened = await openTradingSystem({
      transport: t,
      current: run(SEED),
      bridge: { batchRecords: 1000, maxBacklog: 1e12 },
      log: pino({ level: 'silent' }),
      nowMs: 0,
      snapshots: null,
      wall: new SimulatedClock(writtenFromMs),
    });
    try {
      expect(opened.recovered).toMatchObject({
        snapshotSeq: null,
        records: lastSeq - 1,
        ticks: TICKS,
        divergences: 0,
      });
      expect(opened.system.switchboard.fingerprint()).toBe(written.fingerprint);
    } finally {
      await opened.system.close();
    }
  }, 300_000);
});
