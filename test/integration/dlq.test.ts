/**
 * The DLQ tools on a real failure (ARCHITECTURE invariant 4): a strategy configured with a
 * lookback it cannot allocate throws on its first tick; the tick lands on `market.ticks.dlq` with
 * the error, and the strategy faults (no restarts allowed). `dlq list` and `dlq replay --dry-run`
 * show it; `dlq replay` refuses while the strategy is faulted. After the configuration is fixed
 * and the daemon restarted (the run goes on, the changed parameter applied live), `dlq replay`
 * delivers it, the DLQ is drained, and `replay` of the whole journal reproduces everything, the
 * re-delivery included. On LMDB and on Kafka; and with Postgres, where the fix is applied live.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReplayResult } from '../../src/system/replay.js';
import { startDaemon, until, type Daemon, started, DAEMON_AUTH_ENV } from '../helpers/daemon.js';
import { infraUrl } from '../helpers/infra.js';
import { createTestDatabase } from '../helpers/pg.js';
import postgres from 'postgres';
import { ROOT, tempConfigDir, tempDir } from '../helpers/system.js';

const RELIANCE = 738561;

function strategiesYaml(lookback: number): string {
  return `strategies:
  - id: poisoned
    type: momentum
    brokers: [paper]
    instruments: [${RELIANCE}]
    parameters: { lookback_periods: ${lookback}, threshold: 0.001, position_size: 5 }
  - id: healthy
    type: ema_cross
    brokers: [paper]
    instruments: [${RELIANCE}, 2953217]
    parameters: { fast_period: 3, slow_period: 8, bar_ticks: 3, quantity: 10 }
`;
}

function cli(
  args: string[],
  env: Record<string, string>,
): { code: number; out: unknown; err: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'main.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  let out: unknown = null;
  try {
    out = JSON.parse(r.stdout);
  } catch {
    out = r.stdout;
  }
  return { code: r.status ?? -1, out, err: r.stderr };
}

interface Pending {
  pending: number;
  deadLetters: {
    seq: number;
    actorId: string;
    originalTopic: string;
    originalType: string;
    error: { name: string; message: string };
    original: { token: number };
  }[];
}

/** `replay` of the whole journal: one run, reproduced (re-deliveries and revivals included). */
function expectOneRunReproduced(env: Record<string, string>): void {
  const r = cli(['replay'], env);
  expect(r.err).toBe('');
  const replay = r.out as ReplayResult;
  expect(replay.runs).toBe(1);
  expect(replay.divergences).toBe(0);
  expect(replay.fingerprint).toBe(replay.recordedFingerprint);
}

async function stop(d: Daemon): Promise<void> {
  d.child.kill('SIGTERM');
  expect((await d.exited).code).toBe(0);
}

/** A CONFIG_DIR with the instruments and the poisoned strategy (a lookback it cannot hold). */
function poisonedConfig(): { path: string; remove: () => void } {
  return tempConfigDir(strategiesYaml(2 ** 32), 'ap-dlq-config-');
}

async function scenario(journalEnv: Record<string, string>) {
  const data = tempDir('ap-dlq-');
  const config = poisonedConfig();
  const env = {
    DATA_DIR: data.path,
    CONFIG_DIR: config.path,
    FEED__SEED: '5',
    FEED__TICKS_PER_SECOND: '2000',
    FEED__MAX_TICKS: '400',
    SUPERVISOR__MAX_RESTARTS: '0',
    ...journalEnv,
  };
  let d: Daemon | undefined;
  try {
    d = await startDaemon(env);
    const first = d;
    const api = { ...env, ...DAEMON_AUTH_ENV, HOST: '127.0.0.1', PORT: String(first.port) };
    await until(
      async () => {
        const r = await first.get('/api/v1/strategies/poisoned');
        return (r.body as { status?: string }).status === 'FAULTED' ? true : undefined;
      },
      30_000,
      'the poisoned strategy to fault',
    );

    const listed = cli(['dlq', 'list', '--topic', 'market.ticks'], api);
    expect(listed.err).toBe('');
    const pending = listed.out as Pending;
    expect(pending.pending).toBe(1);
    const dl = pending.deadLetters[0]!;
    expect(dl).toMatchObject({
      actorId: 'strategy:poisoned',
      originalTopic: 'market.ticks',
      originalType: 'MarketTick',
      error: { name: 'RangeError', message: 'Invalid array length' },
      original: { token: RELIANCE },
    });

    const dry = cli(['dlq', 'replay', '--topic', 'market.ticks.dlq', '--dry-run'], api);
    expect(dry.out).toMatchObject({ dryRun: true, pending: 1, wouldRedeliver: [{ seq: dl.seq }] });
    // While the cause is there, nothing is sent: the strategy is faulted.
    const early = cli(['dlq', 'replay', '--topic', 'market.ticks'], api);
    expect(early.out).toMatchObject({
      redelivered: [{ deadLetterSeq: dl.seq, outcome: 'refused' }],
      remaining: 1,
    });
    expect(JSON.stringify(early.out)).toMatch(
      /strategy:poisoned is FAULTED \(RangeError: Invalid array length\)/,
    );
    await stop(first);
    // With the daemon stopped, the journal itself answers.
    const offline = cli(['dlq', 'list', '--topic', 'market.ticks', '--offline'], env);
    expect(offline.err).toBe('');
    expect(offline.out).toMatchObject({ pending: 1, deadLetters: [{ seq: dl.seq }] });

    // The fix, made while the daemon is down: a lookback it can hold. Only a parameter changed,
    // so the run is recovered and the change applied to it live, reviving the strategy.
    writeFileSync(join(config.path, 'strategies.yaml'), strategiesYaml(20));
    d = await startDaemon({ ...env, FEED__SOURCE: 'none' });
    const second = d;
    const api2 = { ...env, ...DAEMON_AUTH_ENV, HOST: '127.0.0.1', PORT: String(second.port) };
    await started(second, 30_000);
    expect((await second.get('/api/v1/strategies/poisoned')).body).toMatchObject({
      status: 'RUNNING',
    });
    const recovered = second
      .output()
      .split('\n')
      .find((l) => l.includes('"msg":"recovered the last run from the journal"'));
    expect(JSON.parse(recovered!)).toMatchObject({ divergences: 0, reconfigured: ['poisoned'] });
    const done = cli(['dlq', 'replay', '--topic', 'market.ticks', '--limit', '5'], api2);
    expect(done.err).toBe('');
    expect(done.out).toMatchObject({
      redelivered: [{ deadLetterSeq: dl.seq, actorId: 'strategy:poisoned', outcome: 'delivered' }],
      remaining: 0,
    });
    expect((cli(['dlq', 'list', '--topic', 'market.ticks'], api2).out as Pending).pending).toBe(0);
    // A second replay has nothing left to deliver.
    expect(cli(['dlq', 'replay', '--topic', 'market.ticks'], api2).out).toMatchObject({
      redelivered: [],
      remaining: 0,
    });
    await stop(second);
    expect(cli(['dlq', 'list', '--topic', 'market.ticks', '--offline'], env).out).toMatchObject({
      pending: 0,
    });

    // The journal replays to the same fingerprint, re-delivery and all.
    expectOneRunReproduced(env);
  } finally {
    d?.remove();
    data.remove();
    config.remove();
  }
}

/**
 * With Kafka and Postgres the fix is live: the row's UPDATE revives the faulted strategy with the
 * new parameters (a journaled StrategyConfigured), and the same daemon then delivers the dead
 * letter. The journal is one run, which replay reproduces, revival and re-delivery included.
 */
async function liveFix() {
  const db = await createTestDatabase();
  const config = poisonedConfig();
  const env = {
    CONFIG_DIR: config.path,
    DATABASE_URL: db.url,
    KAFKA_BROKERS: infraUrl('KAFKA_BROKERS'),
    KAFKA_TOPIC_PREFIX: `dlqpg${process.pid}.`,
    FEED__SEED: '6',
    FEED__TICKS_PER_SECOND: '2000',
    FEED__MAX_TICKS: '400',
    SUPERVISOR__MAX_RESTARTS: '0',
  };
  const sql = postgres(db.url, { max: 1, onnotice: () => undefined });
  let d: Daemon | undefined;
  try {
    expect(cli(['seed'], env).code).toBe(0);
    d = await startDaemon(env);
    const daemon = d;
    const api = { ...env, ...DAEMON_AUTH_ENV, HOST: '127.0.0.1', PORT: String(daemon.port) };
    const status = async () =>
      ((await daemon.get('/api/v1/strategies/poisoned')).body as { status?: string }).status;
    await until(
      async () => ((await status()) === 'FAULTED' ? true : undefined),
      30_000,
      'the fault',
    );
    const pending = cli(['dlq', 'list', '--topic', 'market.ticks'], api).out as Pending;
    expect(pending.pending).toBe(1);

    await sql`update strategy_configurations
      set parameters = parameters || '{"lookback_periods": 20}'::jsonb where id = 'poisoned'`;
    await until(
      async () => ((await status()) === 'RUNNING' ? true : undefined),
      10_000,
      'the revival',
    );
    const done = cli(['dlq', 'replay', '--topic', 'market.ticks'], api);
    expect(done.out).toMatchObject({
      redelivered: [{ deadLetterSeq: pending.deadLetters[0]!.seq, outcome: 'delivered' }],
      remaining: 0,
    });
    await stop(daemon);

    expectOneRunReproduced(env);
  } finally {
    d?.remove();
    await sql.end();
    await db.drop();
    config.remove();
  }
}

describe('dlq list and dlq replay', () => {
  it('drains a real poison message after its cause is fixed, on LMDB', async () => {
    await scenario({});
  }, 120_000);

  it('drains a real poison message after its cause is fixed, on Kafka', async () => {
    await scenario({
      KAFKA_BROKERS: infraUrl('KAFKA_BROKERS'),
      KAFKA_TOPIC_PREFIX: `dlq${process.pid}.`,
    });
  }, 180_000);

  it('drains it after a live fix in Postgres revives the strategy, on Kafka', async () => {
    await liveFix();
  }, 180_000);

  it('says how to reach the daemon when none answers, and names bad options', () => {
    const none = cli(['dlq', 'list', '--topic', 'market.ticks', '--api', 'http://127.0.0.1:9'], {});
    expect(none.code).toBe(2);
    expect(none.err).toMatch(
      /no daemon answers at http:\/\/127\.0\.0\.1:9 .*start it \(npm start\) or pass --api/,
    );
    const bad = cli(['dlq', 'replay'], {});
    expect(bad.err).toMatch(/--topic is required/);
    const sub = cli(['dlq', 'drain', '--topic', 'x'], {});
    expect(sub.err).toMatch(/unknown subcommand "drain"/);
  });
});
