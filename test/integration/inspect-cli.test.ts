/**
 * Post-mortem inspection (SPEC §9): a daemon killed with SIGKILL mid-run leaves its LMDB
 * journal; `inspect --data-dir` serves the inspector over it read-only, and its actors are those
 * of a replay of the journal to its last durable seq. Needs `npm run build`.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PortfolioSnapshot } from '../../src/model/index.js';
import { freePort, replayJournal, startDaemon, until, type Daemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/system.js';

const dir = tempDir('ap-inspect-');
let ins: Daemon | undefined;
let lastSeq = 0;

beforeAll(async () => {
  const d = await startDaemon({ FEED__TICKS_PER_SECOND: '2000' }, { dataDir: dir.path });
  try {
    await until(
      async () => {
        const { body } = await d.get('/api/v1/portfolios');
        const fills = (body as { portfolios: { fills: number }[] }).portfolios.reduce(
          (n, p) => n + p.fills,
          0,
        );
        return fills >= 3 ? true : undefined;
      },
      60_000,
      'fills',
    );
    // The API shows records as they are journaled; the kill must come after the fills are
    // durable, or the journal it leaves may end before them.
    const { body } = await d.get('/api/v1/journal');
    const seen = (body as { lastSeq: number }).lastSeq;
    await until(
      async () => {
        const j = await d.get('/api/v1/journal');
        return (j.body as { durableSeq: number }).durableSeq >= seen ? true : undefined;
      },
      60_000,
      'the fills to be durable',
    );
  } finally {
    d.child.kill('SIGKILL');
    await d.exited;
  }
  const port = await freePort();
  ins = await startDaemon(
    {},
    { dataDir: dir.path, port, args: ['inspect', '--data-dir', dir.path, '--port', String(port)] },
  );
  await until(
    async () => (ins!.output().includes('alpha panda inspect started') ? true : undefined),
    60_000,
    'inspect to start',
  );
}, 180_000);

afterAll(() => {
  if (ins && ins.child.exitCode === null) ins.child.kill('SIGTERM');
  dir.remove();
});

it('shows the actors at the last durable seq, as a replay to that seq gives them', async () => {
  const { status, body } = await ins!.get('/api/v1/inspector/actors');
  expect(status).toBe(200);
  const list = body as { postMortem: boolean; lastSeq: number; actors: { id: string }[] };
  expect(list.postMortem).toBe(true);
  expect(list.lastSeq).toBeGreaterThan(0);
  lastSeq = list.lastSeq;
  const replay = replayJournal(dir.path);
  expect(replay.status).toBe(0);
  expect(replay.result.until).toBe(lastSeq);
  const portfolios = replay.result.portfolios as PortfolioSnapshot[];
  expect(portfolios.length).toBeGreaterThan(0);
  expect(portfolios.some((p) => p.fills > 0)).toBe(true);
  for (const p of portfolios) {
    const id = `portfolio:${p.broker}:${p.strategyId}`;
    const a = await ins!.get(`/api/v1/inspector/actors/${encodeURIComponent(id)}`);
    expect(a.status).toBe(200);
    const ctx = (
      a.body as {
        context: {
          cash: number;
          fees: number;
          fills: number;
          holdings: Record<string, { quantity: number; lastPrice: number }>;
        };
      }
    ).context;
    // Marks move with every tick, so a state one tick off the end differs here.
    const held = (hs: readonly { token: number; quantity: number; lastPrice: number }[]) =>
      hs.map((h) => [h.token, h.quantity, h.lastPrice]).sort();
    expect({
      id,
      cash: ctx.cash,
      fees: ctx.fees,
      fills: ctx.fills,
      holdings: held(Object.entries(ctx.holdings).map(([t, h]) => ({ token: Number(t), ...h }))),
    }).toEqual({
      id,
      cash: p.cash,
      fees: p.fees,
      fills: p.fills,
      holdings: held(p.positions),
    });
  }
}, 120_000);

it('answers time travel and chains, and refuses writes', async () => {
  const at = await ins!.get(`/api/v1/inspector/state?seq=${Math.max(1, lastSeq - 10)}`);
  expect(at.status).toBe(200);
  const chain = await ins!.get(`/api/v1/inspector/messages/${lastSeq}/chain`);
  expect(chain.status).toBe(200);
  const res = await fetch(`http://127.0.0.1:${ins!.port}/api/v1/brokers/paper/halt`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect([401, 403, 404, 405]).toContain(res.status);
  const past = await ins!.get(`/api/v1/inspector/messages/${lastSeq + 1}`);
  expect(past.status).toBe(404);
}, 60_000);
