import { freePort } from '../helpers/daemon.js';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JournalRecord } from '../../src/model/index.js';
import { infraUrl } from '../helpers/infra.js';
import {
  dumpRedis,
  feedLive,
  readModelJournal,
  redisDbUrl,
  replay,
} from '../helpers/read-model.js';
import { ReadModelWriteFailed } from '../../src/readmodel/errors.js';
import { PortfolioReadModel } from '../../src/readmodel/portfolio-view.js';
import { connectRedis, redisClient } from '../../src/readmodel/redis-client.js';
import { PIPELINE_STAGES, redisKeys, stageOf } from '../../src/readmodel/redis-keys.js';
import {
  RedisProjection,
  type IntervalScheduler,
  type ReadModelRewrite,
} from '../../src/readmodel/redis-projection.js';
import { RedisPortfolioReader } from '../../src/readmodel/redis-reader.js';

// Database 5 is this file's own: FLUSHDB here never touches another suite's keys.
const URL = redisDbUrl(infraUrl('REDIS_URL'), 5);
const RECORDS = readModelJournal();
const LAST_SEQ = RECORDS[RECORDS.length - 1]!.seq;

let admin: Redis;
const opened: RedisProjection[] = [];

const quiet = { onError: () => {} };

/** A projection on its own (connected) client, flushed only when a test says so. */
async function projection(
  opts: ConstructorParameters<typeof RedisProjection>[1] = {},
  connected?: Redis,
) {
  const client = connected ?? (await connectRedis(URL, quiet));
  const p = new RedisProjection(client, { flushEveryMs: 0, ...opts });
  opened.push(p);
  return { p, client };
}

function inProcess(records: readonly JournalRecord[]): PortfolioReadModel {
  const rm = new PortfolioReadModel();
  for (const r of records) rm.apply(r);
  return rm;
}

/** Expected pipeline keys, counted straight from the records. */
function expectedPipeline(records: readonly JournalRecord[]): Record<string, string> {
  const out: Record<string, string> = {};
  const counts = new Map<string, number>();
  for (const r of records) {
    const stage = stageOf(r.type);
    if (!stage) continue;
    const id = `${stage}:${r.broker}`;
    counts.set(id, (counts.get(id) ?? 0) + 1);
    out[redisKeys.stageLast(stage, r.broker)] = JSON.stringify({ seq: r.seq, ts: r.ts });
    out[redisKeys.stageCount(stage, r.broker)] = String(counts.get(id));
  }
  return out;
}

function pipelineOf(dump: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(dump).filter(([k]) => k.startsWith('pipeline:')));
}

beforeAll(async () => {
  admin = new Redis(URL);
  await admin.ping();
});
beforeEach(async () => {
  await admin.flushdb();
});
afterEach(async () => {
  for (const p of opened.splice(0)) await p.close();
});
afterAll(async () => {
  await admin.quit();
});

describe('RedisProjection', () => {
  it('writes the views PortfolioReadModel computes from the same records', async () => {
    expect(new Set(RECORDS.map((r) => r.type))).toEqual(
      new Set([
        ...Object.keys(PIPELINE_STAGES),
        'MarketTick',
        'PortfolioSnapshot',
        'PnlSnapshot',
        'SetTradingState',
        'TradingStateChanged',
      ]),
    );
    const { p } = await projection();
    // Flushes in between, so later ticks must re-mark portfolios written earlier.
    for (let i = 0; i < RECORDS.length; i += 10) {
      feedLive(p, RECORDS.slice(i, i + 10));
      await p.flush();
    }
    const rm = inProcess(RECORDS);
    expect(rm.list().map((v) => `${v.broker}:${v.strategyId}`)).toEqual([
      'paper:ema_cross_reliance',
      'zerodha:a_momentum',
    ]);

    const reader = new RedisPortfolioReader(await connectRedis(URL, quiet));
    try {
      expect(await reader.list()).toEqual(rm.list());
      for (const v of rm.list()) {
        expect(await reader.get(v.broker, v.strategyId)).toEqual(v);
        expect(await admin.get(redisKeys.positions(v.broker, v.strategyId))).toBe(
          JSON.stringify(v.positions),
        );
      }
      // The zerodha portfolio is marked to ticks that came after its snapshot.
      const z = (await reader.get('zerodha', 'a_momentum'))!;
      expect(z.positions.map((x) => [x.token, x.lastPrice, x.unrealizedPnl])).toEqual([
        [2953217, 318_000, 5 * 318_000 - 1_600_000],
        [408065, 151_250, 5 * 151_250 - 750_000],
      ]);
      expect(await reader.get('paper', 'nope')).toBeUndefined();
      expect(await reader.get('kite', 'a_momentum')).toBeUndefined();
      expect(await reader.ping()).toBeNull();
    } finally {
      await reader.close();
    }

    const dump = await dumpRedis(admin);
    expect(pipelineOf(dump)).toEqual(expectedPipeline(RECORDS));
    expect(dump[redisKeys.seq]).toBe(String(LAST_SEQ));
    expect(dump[redisKeys.portfolios]).toEqual(['paper:ema_cross_reliance', 'zerodha:a_momentum']);
    expect(p.lastSeq).toBe(LAST_SEQ);
    expect(p.portfolios.list()).toEqual(rm.list());
  });

  it('rebuild() from the journal writes byte-identical keys and removes only stale owned keys', async () => {
    const live = (await projection()).p;
    feedLive(live, RECORDS.slice(0, 30));
    await live.flush();
    feedLive(live, RECORDS.slice(30));
    await live.flush();
    const before = await dumpRedis(admin);
    expect(Object.keys(before).length).toBeGreaterThan(10);

    await admin.flushdb();
    // Keys the projection owns but would not write now, and keys it does not own.
    await admin.set('paper:portfolio:retired_strategy', '{}');
    await admin.set('paper:positions:retired_strategy', '[]');
    await admin.set('pipeline:signals:system:count', '99');
    await admin.sadd(redisKeys.portfolios, 'paper:retired_strategy');
    await admin.set('session:zerodha', 'kept');

    const { p } = await projection();
    expect(await p.rebuild(replay(RECORDS))).toBe(RECORDS.length);
    const after = await dumpRedis(admin);
    expect(after['session:zerodha']).toBe('kept');
    delete after['session:zerodha'];
    expect(after).toEqual(before);

    // Rebuilding over a built read model changes nothing.
    expect(await p.rebuild(replay(RECORDS))).toBe(RECORDS.length);
    const again = await dumpRedis(admin);
    delete again['session:zerodha'];
    expect(again).toEqual(before);
  });

  it('keeps pipeline counts exact across a flush whose reply was lost and one that failed', async () => {
    const { p, client } = await projection();
    feedLive(p, RECORDS.slice(0, 20));
    // The first MULTI reaches Redis but its reply is lost: the retry must not count twice.
    const realMulti = client.multi.bind(client);
    const spy = vi.spyOn(client, 'multi').mockImplementationOnce(() => {
      const m = realMulti();
      const exec = m.exec.bind(m);
      m.exec = (async () => {
        await exec();
        throw new Error('connection reset after EXEC');
      }) as typeof m.exec;
      return m;
    });
    await expect(p.flush()).rejects.toBeInstanceOf(ReadModelWriteFailed);
    expect(spy).toHaveBeenCalledTimes(1);

    // Redis goes away: apply() still only touches memory, and the flush fails fast.
    const ended = new Promise((resolve) => client.once('end', resolve));
    client.disconnect();
    expect(() => feedLive(p, RECORDS.slice(20))).not.toThrow();
    const err = await p.flush().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReadModelWriteFailed);
    expect((err as ReadModelWriteFailed).retriable).toBe(true);
    expect((err as Error).message).toMatch(/next flush writes it again/);

    await ended;
    await client.connect();
    await p.flush();
    const dump = await dumpRedis(admin);
    expect(pipelineOf(dump)).toEqual(expectedPipeline(RECORDS));
    expect(dump[redisKeys.seq]).toBe(String(LAST_SEQ));
    expect(await new RedisPortfolioReader(admin).list()).toEqual(inProcess(RECORDS).list());
  });

  it('flushes on its timer, at most one flush at a time, and stops the timer on close', async () => {
    let fire = () => {};
    const stop = vi.fn();
    const schedule = vi.fn<IntervalScheduler>((fn) => {
      fire = fn;
      return stop;
    });
    const { p, client } = await projection({ flushEveryMs: undefined, schedule });
    expect(schedule).toHaveBeenCalledWith(expect.any(Function), 200);
    const multi = vi.spyOn(client, 'multi');

    feedLive(p, RECORDS);
    fire();
    expect(multi).toHaveBeenCalledTimes(1);
    fire(); // while the first is in flight: skipped, not queued
    expect(multi).toHaveBeenCalledTimes(1);
    // Waits for the timer's flush; nothing is dirty afterwards, so no second MULTI.
    await p.flush();
    expect(multi).toHaveBeenCalledTimes(1);
    expect(pipelineOf(await dumpRedis(admin))).toEqual(expectedPipeline(RECORDS));

    opened.splice(opened.indexOf(p), 1);
    await p.close();
    expect(stop).toHaveBeenCalledTimes(1);
    expect(client.status).toBe('end');
  });

  it('reports to onError and never throws into apply() while Redis is unreachable', async () => {
    const errors: Error[] = [];
    let fire = () => {};
    const down = redisClient(`redis://127.0.0.1:${await freePort()}/5`, quiet);
    const { p } = await projection(
      {
        flushEveryMs: 50,
        onError: (e) => errors.push(e),
        schedule: (fn) => {
          fire = fn;
          return () => {};
        },
      },
      down,
    );
    expect(() => feedLive(p, RECORDS)).not.toThrow();
    fire();
    await expect(p.flush()).rejects.toBeInstanceOf(ReadModelWriteFailed);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ReadModelWriteFailed);
    expect(p.portfolios.list()).toEqual(inProcess(RECORDS).list());

    opened.splice(opened.indexOf(p), 1);
    await p.close();
    expect(errors).toHaveLength(2); // the final flush of close(), reported rather than thrown
  });

  it('lists a declared portfolio from the first flush and does not replace a real one', async () => {
    const { p } = await projection();
    const snap = RECORDS.find((r) => r.type === 'PortfolioSnapshot')!;
    feedLive(p, RECORDS.slice(0, snap.seq));
    const data = snap.data as Parameters<RedisProjection['declare']>[0];
    p.declare({ ...data, positions: [], fills: 0 });
    p.declare({ ...data, broker: 'zerodha', positions: [], fills: 0 });
    await p.flush();
    const views = await new RedisPortfolioReader(admin).list();
    expect(views.map((v) => [v.broker, v.strategyId, v.fills, v.asOfSeq])).toEqual([
      ['paper', 'ema_cross_reliance', 1, snap.seq],
      ['zerodha', 'ema_cross_reliance', 0, 0],
    ]);
  });

  it('writes readmodel:seq on the first flush even with no records, so readers see it built', async () => {
    const reader = new RedisPortfolioReader(admin);
    expect(await reader.ping()).toMatch(/readmodel:seq is missing/);
    const { p } = await projection();
    await p.flush();
    expect(await admin.get(redisKeys.seq)).toBe('0');
    expect(await reader.ping()).toBeNull();
    expect(await reader.list()).toEqual([]);
  });

  it('rewrites every key from memory when Redis lost them: flushed, or a stale replica', async () => {
    const rewrites: ReadModelRewrite[] = [];
    const { p } = await projection({ onRewrite: (r) => rewrites.push(r) });
    feedLive(p, RECORDS.slice(0, 30));
    await p.flush();
    const early = await dumpRedis(admin);

    // Emptied between two flushes: the next one writes every key, not only the changed ones.
    await admin.flushdb();
    feedLive(p, RECORDS.slice(30));
    await p.flush();
    const full = await dumpRedis(admin);
    expect(pipelineOf(full)).toEqual(expectedPipeline(RECORDS));
    expect(full[redisKeys.seq]).toBe(String(LAST_SEQ));
    expect(await new RedisPortfolioReader(admin).list()).toEqual(inProcess(RECORDS).list());
    expect(rewrites).toEqual([
      { found: null, expected: 30, seq: LAST_SEQ, keys: expect.any(Number) },
    ]);

    // Emptied with nothing new to write: the flush still finds out.
    await admin.flushdb();
    await p.flush();
    expect(await dumpRedis(admin)).toEqual(full);

    // A replica that is behind: the keys of an earlier state, readmodel:seq included.
    await admin.flushdb();
    for (const [k, v] of Object.entries(early)) {
      if (typeof v === 'string') await admin.set(k, v);
      else await admin.sadd(k, ...v);
    }
    await p.flush();
    expect(await dumpRedis(admin)).toEqual(full);
    expect(rewrites.map((r) => r.found)).toEqual([null, null, '30']);

    // Whole again: further flushes rewrite nothing.
    await p.flush();
    expect(rewrites).toHaveLength(3);
  });

  it('checks on reconnecting, so a restarted empty Redis is filled without a flush call', async () => {
    let rewritten = (_: ReadModelRewrite) => {};
    const { p, client } = await projection({ onRewrite: (r) => rewritten(r) });
    feedLive(p, RECORDS);
    await p.flush();
    const before = await dumpRedis(admin);

    const ended = new Promise((resolve) => client.once('end', resolve));
    client.disconnect();
    await ended;
    await admin.flushdb();
    const done = new Promise<ReadModelRewrite>((resolve) => (rewritten = resolve));
    await client.connect();
    expect((await done).found).toBeNull();
    expect(await dumpRedis(admin)).toEqual(before);
  });

  it('refuses a value it never writes with how to fix it', async () => {
    await admin.sadd(redisKeys.portfolios, 'paper:broken');
    await admin.set(redisKeys.portfolio('paper', 'broken'), '{"broker":"paper"}');
    const reader = new RedisPortfolioReader(admin);
    await expect(reader.get('paper', 'broken')).rejects.toThrow(
      /"paper:portfolio:broken" does not hold a portfolio view .*rebuild the read model/,
    );
  });
});
