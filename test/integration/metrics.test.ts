/**
 * GET /metrics of a running daemon (SPEC §10): on the mock feed with config/strategies.yaml and
 * the paper broker, every hop histogram has observations, the counters equal the journal's own
 * counts at the seq the scrape reports, and `promtool check metrics` accepts the exposition.
 * With METRICS__ENABLED=false only the process metrics are served.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/model/index.js';
import { HOPS } from '../../src/system/index.js';
import { feedDone, startDaemon, started, type Daemon } from '../helpers/daemon.js';
import { readLmdbJournal } from '../helpers/system.js';

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The samples of a Prometheus text exposition. */
function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The sum of the samples named `name` whose labels include `where`. */
function sum(samples: readonly Sample[], name: string, where: Record<string, string> = {}) {
  return samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);
}

/** GET /metrics: the status, content type and body. */
async function scrape(d: Daemon): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(`http://127.0.0.1:${d.port}/metrics`);
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text: await res.text(),
  };
}

/** `promtool check metrics` on `text`: its exit status and what it said. */
function promtool(text: string): { status: number | null; output: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (r.error !== undefined)
    throw new Error(
      `promtool could not be run (${r.error.message}): run scripts/infra-up.sh, which installs Debian's prometheus package`,
    );
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const ENV = {
  FEED__SEED: '42',
  FEED__TICKS_PER_SECOND: '5000',
  FEED__MAX_TICKS: '20000',
  API__READS: 'open',
};

let d: Daemon | undefined;
afterEach(() => {
  d?.remove();
  d = undefined;
});

describe('GET /metrics of the daemon', () => {
  it('times every hop, counts what the journal holds, and passes promtool', async () => {
    d = await startDaemon({ ...ENV, METRICS__ENABLED: 'true', SNAPSHOT__EVERY_RECORDS: '5000' });
    const daemon = d;
    await started(daemon, 30_000);
    const during = await scrape(daemon);
    expect(during.status, during.text.slice(0, 300)).toBe(200);
    expect(during.type).toMatch(/^text\/plain; version=0\.0\.4/);

    await feedDone(daemon);
    const last = await scrape(daemon);
    expect(last.status).toBe(200);
    const samples = parseExposition(last.text);
    const checked = promtool(last.text);
    expect(checked.output).toBe('');
    expect(checked.status).toBe(0);

    for (const hop of HOPS)
      expect(
        sum(samples, 'alpha_panda_hop_latency_seconds_count', { broker: 'paper', hop }),
        hop,
      ).toBeGreaterThan(0);
    expect(sum(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(sum(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(sum(samples, 'alpha_panda_feed_ticks_total')).toBe(20_000);
    expect(sum(samples, 'alpha_panda_trading_state', { broker: 'paper', state: 'ACTIVE' })).toBe(1);
    // Snapshots every 5,000 records: the last one saved is at most one interval behind.
    const snapshotSeq = sum(samples, 'alpha_panda_snapshot_seq');
    const lastSeq = sum(samples, 'alpha_panda_journal_last_seq');
    expect(snapshotSeq).toBeGreaterThan(0);
    expect(snapshotSeq).toBeLessThanOrEqual(lastSeq);
    expect(sum(samples, 'alpha_panda_journal_durable_seq')).toBeLessThanOrEqual(lastSeq);
    expect(sum(samples, 'alpha_panda_journal_flushed_records_total')).toBeGreaterThan(0);

    // The journal's own counts, through the seq the scrape saw.
    const throughSeq = lastSeq;
    daemon.child.kill('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
    const journal = (await readLmdbJournal(daemon.dataDir)).filter((r) => r.seq <= throughSeq);
    expect(journal.at(-1)?.seq).toBe(throughSeq);
    const count = (type: string, where: (r: JournalRecord) => boolean = () => true) =>
      journal.filter((r) => r.type === type && where(r)).length;
    expect(count('TradingSignal')).toBeGreaterThan(0);
    expect(count('OrderFilled')).toBeGreaterThan(0);
    expect(sum(samples, 'alpha_panda_signals_total', { broker: 'paper' })).toBe(
      count('TradingSignal'),
    );
    const orders = (status: string) =>
      sum(samples, 'alpha_panda_orders_total', { broker: 'paper', status });
    expect(orders('submitted')).toBe(count('SubmitOrder'));
    expect(orders('accepted')).toBe(count('OrderAccepted'));
    expect(orders('filled') + orders('partially_filled')).toBe(count('OrderFilled'));
    expect(orders('rejected')).toBe(count('OrderRejected'));
    expect(sum(samples, 'alpha_panda_signal_rejections_total', { broker: 'paper' })).toBe(
      count('SignalRejected'),
    );
    expect(sum(samples, 'alpha_panda_events_total', { type: 'MarketTick', broker: 'shared' })).toBe(
      count('MarketTick'),
    );
  }, 120_000);

  it('with METRICS__ENABLED=false serves the process metrics only', async () => {
    d = await startDaemon({ ...ENV, FEED__MAX_TICKS: '2000', METRICS__ENABLED: 'false' });
    await started(d, 30_000);
    await feedDone(d);
    const { status, text } = await scrape(d);
    expect(status).toBe(200);
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).not.toContain('alpha_panda_');
    expect(promtool(text).status).toBe(0);
  }, 120_000);
});
