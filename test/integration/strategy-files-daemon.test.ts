/**
 * Strategies in files, in the daemon (`node dist/main.js start`, built first): a strategy written
 * from the `new-strategy` template in STRATEGIES_DIR trades; a syntax error in a second file
 * faults only its strategy, which the API shows FAULTED with the file, line and reason; `replay`
 * of the run reproduces its fingerprint, and after an edit of the file reports a counterfactual
 * with its code changes and order diff.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayResult } from '../../src/system/index.js';
import { sha256, writeNewStrategy } from '../../src/system/index.js';
import { startDaemon, until, type Daemon } from '../helpers/daemon.js';
import { ROOT, tempConfigDir, tempDir } from '../helpers/system.js';

const strategiesDir = tempDir('ap-strategies-');
const configDir = tempConfigDir(`strategies:
  - id: mine
    type: my_cross
    brokers: [paper]
    instruments: [738561, 2953217, 1270529]
    parameters: { fast: 2, slow: 4, bar_seconds: 1, quantity: 5 }
  - id: broken
    type: half_written
    brokers: [paper]
    instruments: [738561]
    parameters: {}
  - id: builtin
    type: ema_cross
    brokers: [paper]
    instruments: [492033]
    parameters: { fast_period: 3, slow_period: 8, bar_ticks: 5, quantity: 10 }
`);
const dataDir = tempDir('ap-daemon-data-');
let strategyFile = '';
let strategies: { id: string; status: string; error?: string }[] = [];
let mineOrders = 0;
let stopped: { fingerprint: string; lastSeq: number };

/** The daemon's environment: this test's data, configuration and strategy files. */
function daemonEnv(): Record<string, string> {
  return {
    DATA_DIR: dataDir.path,
    CONFIG_DIR: configDir.path,
    STRATEGIES_DIR: strategiesDir.path,
    FEED__SEED: '21',
    FEED__TICKS_PER_SECOND: '1000',
    LOG_LEVEL: 'info',
  };
}

function replay(): { status: number | null; stderr: string; out: ReplayResult } {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'main.js'), 'replay'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      DATA_DIR: dataDir.path,
      STRATEGIES_DIR: strategiesDir.path,
    },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return {
    status: r.status,
    stderr: r.stderr,
    out: (r.status === 0 ? JSON.parse(r.stdout) : null) as ReplayResult,
  };
}

beforeAll(async () => {
  strategyFile = writeNewStrategy(strategiesDir.path, 'my_cross')[0]!;
  writeFileSync(
    join(strategiesDir.path, 'half_written.ts'),
    "import { defineStrategy } from 'alpha-panda';\nexport default defineStrategy({\n  name: 'half_written',,\n});\n",
  );
  const d: Daemon = await startDaemon(daemonEnv(), { dataDir: dataDir.path });
  try {
    mineOrders = await until(
      async () => {
        const { body } = await d.get('/api/v1/orders?strategyId=mine');
        const n = (body as { orders: unknown[] }).orders.length;
        return n >= 2 ? n : undefined;
      },
      90_000,
      'two orders of the strategy from the file',
    );
    strategies = ((await d.get('/api/v1/strategies')).body as { strategies: typeof strategies })
      .strategies;
  } finally {
    d.child.kill('SIGTERM');
  }
  expect((await d.exited).code).toBe(0);
  stopped = d
    .output()
    .split('\n')
    .filter((l) => l.includes('journal flushed; stopped'))
    .map((l) => JSON.parse(l) as { fingerprint: string; lastSeq: number })[0]!;
}, 180_000);

afterAll(() => {
  strategiesDir.remove();
  configDir.remove();
  dataDir.remove();
});

describe('strategy files in the daemon', () => {
  it('trades the template strategy and faults only the broken file’s strategy, naming the place', () => {
    expect(mineOrders).toBeGreaterThanOrEqual(2);
    const by = Object.fromEntries(strategies.map((s) => [s.id, s]));
    expect(by.mine!.status).toBe('RUNNING');
    expect(by.builtin!.status).toBe('RUNNING');
    expect(by.broken!.status).toBe('FAULTED');
    expect(by.broken!.error).toContain("half_written.ts:3:24: syntax error: Unexpected token ','");
  });

  it('replays the run as recorded, then as a counterfactual once the file is edited', () => {
    const same = replay();
    expect(same.status, same.stderr).toBe(0);
    expect(same.out.divergences).toBe(0);
    expect(same.out.fingerprint).toBe(stopped.fingerprint);
    expect(same.out.codeChanges).toBeUndefined();

    const text = readFileSync(strategyFile, 'utf8');
    const edited = text.replace(
      "return limit('BUY', p.quantity, entry",
      "return limit('BUY', p.quantity * 3, entry",
    );
    expect(edited).not.toBe(text);
    writeFileSync(strategyFile, edited);
    const changed = replay();
    expect(changed.status, changed.stderr).toBe(0);
    expect(changed.out.codeChanges).toEqual([
      { strategyId: 'mine', path: 'my_cross.ts', recorded: sha256(text), current: sha256(edited) },
    ]);
    expect(changed.out.divergences).toBe(0);
    const diff = changed.out.orderDiff!;
    expect(diff.changed.length).toBeGreaterThan(0);
    for (const c of diff.changed.filter((x) => x.recorded.strategyId === 'mine'))
      expect(c.replayed.quantity).toBe(c.recorded.quantity * 3);
  });

  it('starts a new run, never continuing the old one, when restarted with the edited file', async () => {
    // The previous case left the file edited.
    const d: Daemon = await startDaemon(daemonEnv(), { dataDir: dataDir.path });
    try {
      await until(
        async () => ((await d.get('/ready')).status === 200 ? true : undefined),
        60_000,
        'the restarted daemon to be ready',
      );
    } finally {
      d.child.kill('SIGTERM');
    }
    expect((await d.exited).code).toBe(0);
    const lines = d
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; reason?: string; runStartedAt?: number });
    const fresh = lines.find(
      (l) => l.msg === 'starting a new run: the last one cannot be continued',
    );
    expect(fresh?.reason).toBe(
      'the code of strategy mine changed since it started (my_cross.ts in STRATEGIES_DIR)',
    );
    expect(lines.some((l) => l.msg === 'recovered the last run from the journal')).toBe(false);
  }, 120_000);
});
