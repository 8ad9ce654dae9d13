/**
 * A daemon for the API's acceptance tests: reads need a token, a viewer and the first admin can
 * log in, the seeded mock feed runs a fixed number of ticks (so there are signals, orders and
 * fills), and what the route cases need is read back from it.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword } from '../../src/config/index.js';
import type { CaseContext } from './api-route-cases.js';
import {
  DAEMON_ADMIN,
  feedDone,
  loginHeaders,
  started,
  startDaemon,
  type Daemon,
} from './daemon.js';
import { ROOT, tempDir } from './system.js';

/** The viewer of users.yaml: reads only. */
export const VIEWER_USER = {
  username: 'viewer',
  password: 'viewer-password-of-the-tests',
} as const;

/** A fixed salt: the tests are deterministic, and this hash protects nothing. */
const SALT = Buffer.alloc(16, 0x5a);

/** A copy of the repository's config/ with a users.yaml that adds VIEWER_USER. */
export async function configDirWithViewer(): Promise<{ path: string; remove: () => void }> {
  const dir = tempDir('ap-config-');
  cpSync(join(ROOT, 'config'), dir.path, { recursive: true });
  const hash = await hashPassword(VIEWER_USER.password, SALT);
  writeFileSync(
    join(dir.path, 'users.yaml'),
    `users:\n  - username: ${VIEWER_USER.username}\n    role: viewer\n    password_hash: ${hash}\n`,
  );
  return dir;
}

/**
 * The seeded mock feed: 800 ticks of the high-volatility scenario with seed 7 give the default
 * strategies signals, orders (filled and rejected) and positions.
 */
export const FEED_ENV: Readonly<Record<string, string>> = {
  FEED__SEED: '7',
  FEED__SCENARIO: 'high_volatility',
  FEED__TICKS_PER_SECOND: '4000',
  FEED__MAX_TICKS: '800',
};

export interface ApiDaemon {
  readonly daemon: Daemon;
  readonly base: string;
  /** The admin's (an operator's) Authorization header. */
  readonly operator: Record<string, string>;
  /** The viewer's Authorization header. */
  readonly viewer: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts a daemon whose reads need a token (API__READS unset), with VIEWER_USER in its
 * CONFIG_DIR and `env` on top; resolves once its feed has sent all its ticks. `admin` is the first
 * admin `env` configures (by default the one of DAEMON_AUTH_ENV).
 */
export async function startApiDaemon(
  env: Record<string, string> = {},
  admin: { username: string; password: string } = DAEMON_ADMIN,
): Promise<ApiDaemon> {
  const config = await configDirWithViewer();
  const daemon = await startDaemon({
    ...FEED_ENV,
    API__READS: '',
    CONFIG_DIR: config.path,
    ...env,
  });
  const stop = async () => {
    if (daemon.child.exitCode === null && daemon.child.signalCode === null) {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
    }
    daemon.remove();
    config.remove();
  };
  try {
    await started(daemon);
    await feedDone(daemon);
    const base = `http://127.0.0.1:${daemon.port}`;
    return {
      daemon,
      base,
      operator: await loginHeaders(base, admin),
      viewer: await loginHeaders(base, VIEWER_USER),
      stop,
    };
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- daemon output ---\n${daemon.output()}`, {
      cause: err,
    });
  }
}

async function getJson<T>(d: ApiDaemon, path: string): Promise<T> {
  const res = await fetch(`${d.base}${path}`, { headers: d.operator });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * What the route cases need, read from the daemon: strategies, an order and a DLQ topic. Throws
 * when the run made no order (the feed settings above no longer trade).
 */
export async function caseContext(
  d: ApiDaemon,
  admin: { username: string; password: string } = DAEMON_ADMIN,
): Promise<CaseContext> {
  const { strategies } = await getJson<{
    strategies: { id: string; params: Record<string, unknown> }[];
  }>(d, '/api/v1/strategies');
  const { orders } = await getJson<{ orders: { clientOrderId: string }[] }>(d, '/api/v1/orders');
  const { topics } = await getJson<{ topics: { topic: string }[] }>(d, '/api/v1/dlq');
  const first = strategies[0];
  const spare = strategies[strategies.length - 1];
  const param = Object.entries(first?.params ?? {}).find(([, v]) => typeof v === 'number');
  if (!first || !spare || first === spare || !param)
    throw new Error(
      `the daemon needs two strategies, the first with a numeric parameter; it has ${JSON.stringify(strategies)}`,
    );
  if (orders.length === 0)
    throw new Error(
      `the run made no order; change FEED_ENV in ${import.meta.filename} so it trades`,
    );
  const dlqTopic = topics.find((t) => t.topic.startsWith('paper.'))?.topic;
  if (dlqTopic === undefined) throw new Error(`no paper DLQ topic in ${JSON.stringify(topics)}`);
  return {
    admin,
    strategyId: first.id,
    spareStrategyId: spare.id,
    strategyParam: param,
    clientOrderId: orders[0]!.clientOrderId,
    broker: 'paper',
    dlqTopic,
  };
}
