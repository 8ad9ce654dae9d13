/**
 * The actor inspector's API against a running daemon (SPEC §9): the tree, an actor's readable
 * context, state at a seq, a fill's chain back to its tick, and the event stream filtered by
 * actor. Needs `npm run build`.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDaemon, until, type Daemon } from '../helpers/daemon.js';

let d: Daemon;

beforeAll(async () => {
  d = await startDaemon({ FEED__TICKS_PER_SECOND: '2000' });
  await until(
    async () => {
      const { body } = await d.get('/api/v1/portfolios');
      const fills = (body as { portfolios: { fills: number }[] }).portfolios.reduce(
        (n, p) => n + p.fills,
        0,
      );
      return fills >= 2 ? true : undefined;
    },
    60_000,
    'fills',
  );
}, 90_000);

afterAll(() => d?.remove());

interface Actor {
  id: string;
  kind: string;
  status: string;
  messagesIn: number;
  lastSeq: number | null;
}

it('lists the supervision tree with live counts', async () => {
  const { status, body } = await d.get('/api/v1/inspector/actors');
  expect(status).toBe(200);
  const { actors, postMortem } = body as { actors: Actor[]; postMortem: boolean };
  expect(postMortem).toBe(false);
  const gate = actors.find((a) => a.id === 'risk-gate:paper')!;
  expect(gate).toMatchObject({ kind: 'risk-gate', status: 'RUNNING' });
  expect(gate.messagesIn).toBeGreaterThan(0);
  expect(actors.filter((a) => a.kind === 'portfolio').length).toBeGreaterThan(0);
});

it('gives a portfolio its context in paise and in rupees', async () => {
  const { body: list } = await d.get('/api/v1/inspector/actors');
  const id = (list as { actors: Actor[] }).actors.find((a) => a.kind === 'portfolio')!.id;
  const { status, body } = await d.get(`/api/v1/inspector/actors/${encodeURIComponent(id)}`);
  expect(status).toBe(200);
  const a = body as { context: { cash: number }; readable: { cash: string } };
  expect(a.readable.cash).toBe(
    `₹${Math.floor(a.context.cash / 100)}.${String(a.context.cash % 100).padStart(2, '0')}`,
  );
});

it('follows a fill back to its tick and gives the state at the fill', async () => {
  const events = await fetch(
    `http://127.0.0.1:${d.port}/api/v1/inspector/events?actor=trader:paper&type=OrderFilled&lastEventId=0`,
  );
  expect(events.status).toBe(200);
  const reader = events.body!.getReader();
  let text = '';
  while (!/\ndata: .*\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
  await reader.cancel();
  const fill = JSON.parse(/\ndata: (.*)\n/.exec(text)![1]!) as {
    seq: number;
    type: string;
    source: string;
  };
  expect(fill).toMatchObject({ type: 'OrderFilled', source: 'trader:paper' });
  const chain = await d.get(`/api/v1/inspector/messages/${fill.seq}/chain`);
  const back = (chain.body as { back: { type: string }[] }).back.map((m) => m.type);
  expect(back[0]).toBe('OrderFilled');
  expect(back.at(-1)).toBe('MarketTick');
  const at = await d.get(`/api/v1/inspector/actors/trader:paper/state?seq=${fill.seq}`);
  expect(at.status).toBe(200);
  expect((at.body as { record: { seq: number } }).record.seq).toBe(fill.seq);
}, 60_000);
