/**
 * Backpressure (ARCHITECTURE invariant 4) against a real broker outage: the daemon journals to a
 * Kafka broker of its own (so stopping it disturbs no other suite), the broker is stopped for
 * 20 s mid-run and started again. While it is down the backlog passes its bound and every risk
 * gate goes HALTED; when it is back the backlog drains and the gates resume. Afterwards the
 * journal has every seq from 1 exactly once, on Kafka itself as well as through the index.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SetTradingState } from '../../src/model/index.js';
import { freePort, startDaemon, until, type Daemon } from '../helpers/daemon.js';
import { readKafkaJournal } from '../helpers/kafka-journal.js';
import { ROOT } from '../helpers/system.js';

const OUTAGE_MS = 20_000;
let dir: string;
let kafkaEnv: Record<string, string>;
let brokers: string;
let daemon: Daemon | undefined;

function kafka(verb: 'up' | 'down'): void {
  execFileSync(join(ROOT, 'scripts', 'kafka-local.sh'), [verb], {
    env: { ...process.env, ...kafkaEnv },
    stdio: 'pipe',
    timeout: 120_000,
  });
}

function cli(...args: string[]): string {
  return execFileSync(process.execPath, [join(ROOT, 'dist', 'main.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', KAFKA_BROKERS: brokers, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

async function ready(d: Daemon): Promise<{ status: number; problems: string }> {
  const { status, body } = await d.get('/ready');
  const checks = (body as { checks: { name: string; problem?: string }[] }).checks;
  return { status, problems: checks.map((c) => c.problem ?? '').join('; ') };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ap-outage-'));
  const port = await freePort();
  const cport = await freePort();
  kafkaEnv = { INFRA_DIR: dir, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(cport) };
  brokers = `127.0.0.1:${port}`;
  kafka('up');
  cli('topics', 'bootstrap');
}, 180_000);

afterAll(() => {
  if (daemon && daemon.child.exitCode !== 0)
    process.stderr.write(`daemon output:\n${daemon.output().slice(-6000)}\n`);
  daemon?.remove();
  try {
    kafka('down');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('journal backpressure when Kafka is down for 20 s', () => {
  it('halts the gates past the backlog bound, resumes after the drain, and loses or repeats nothing', async () => {
    daemon = await startDaemon({
      KAFKA_BROKERS: brokers,
      FEED__TICKS_PER_SECOND: '300',
      JOURNAL__MAX_BACKLOG: '1000',
    });
    const d = daemon;
    await until(
      async () => ((await ready(d)).status === 200 ? true : undefined),
      60_000,
      'the daemon ready',
    );

    kafka('down');
    const downAt = performance.now();
    // Past the bound (300 ticks/s against a bound of 1,000 records) the gates halt.
    await until(
      async () => (/paper is HALTED/.test((await ready(d)).problems) ? true : undefined),
      OUTAGE_MS,
      'the paper gate HALTED while Kafka is down',
    );
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (performance.now() - downAt))));
    expect((await ready(d)).status).toBe(503);
    kafka('up');

    await until(
      async () => ((await ready(d)).status === 200 ? true : undefined),
      90_000,
      'the backlog drained and the gates ACTIVE again',
    );
    d.child.kill('SIGTERM');
    expect((await d.exited).code).toBe(0);
    expect(d.output()).toMatch(/journal backlog \d+ records exceeds the bound of 1000/);
    expect(d.output()).toMatch(/journal backlog drained/);

    const recs = await readKafkaJournal([brokers]);
    // Every seq once, in order, from 1.
    expect(recs.map((r) => r.seq)).toEqual(recs.map((_, i) => i + 1));
    const states = recs
      .filter((r) => r.type === 'SetTradingState')
      .map((r) => [(r.data as SetTradingState).state, r.source]);
    expect(states).toEqual([
      ['HALTED', 'bridge'],
      ['ACTIVE', 'bridge'],
    ]);
    expect(recs.filter((r) => r.type === 'TradingStateChanged').length).toBe(2);

    // Kafka itself holds each record once: per topic, kcat counts what the journal reads.
    const perTopic = new Map<string, number>();
    for (const r of recs) perTopic.set(r.topic, (perTopic.get(r.topic) ?? 0) + 1);
    for (const [topic, n] of perTopic) {
      const out = execFileSync(
        'kcat',
        ['-C', '-b', brokers, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%s\n'],
        { encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 28 },
      );
      const seqs = out
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { seq: number }).seq);
      expect(new Set(seqs).size, topic).toBe(seqs.length);
      expect(seqs.length, topic).toBe(n);
    }
  }, 300_000);
});
