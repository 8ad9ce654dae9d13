/**
 * A stand-in for the inspector's JSON and SSE routes (the contract the page reads), with the real
 * page served beside them: a fixed journal of one tick → signal → validated → submitted → fill
 * chain per strategy, a portfolio context that follows its fills, and optional token auth.
 */
import { serve, type ServerType } from '@hono/node-server';
import { inspectorPage } from '../../src/api/inspector/serve.js';
import { router } from '../../src/api/openapi.js';

export const FAKE_STRATEGIES = ['ema_cross_tcs', 'momentum_default'] as const;
export const FAKE_TOKEN = 'fake-token';
export const FAKE_USER = { username: 'viewer', password: 'viewer-password' };

interface Rec {
  seq: number;
  type: string;
  topic: string;
  source: string;
  target?: string;
  broker: string;
  strategyId?: string;
  correlationId: string;
  correlationSeq: number;
  causationSeq?: number;
  at: string;
  data: Record<string, unknown>;
}

/** The fixed journal: for each strategy a chain, and a fill of 10 units at its end. */
export function fakeJournal(): Rec[] {
  const out: Rec[] = [];
  const chain: [string, string, string | undefined][] = [
    ['MarketTick', 'feed', undefined],
    ['TradingSignal', 'strategy:S', 'risk-gate:paper'],
    ['SignalValidated', 'risk-gate:paper', 'trader:paper'],
    ['OrderSubmitted', 'trader:paper', 'portfolio:paper:S'],
    ['OrderFilled', 'trader:paper', 'portfolio:paper:S'],
  ];
  for (const s of FAKE_STRATEGIES) {
    const first = out.length + 1;
    for (const [type, source, target] of chain) {
      const seq = out.length + 1;
      out.push({
        seq,
        type,
        topic: type === 'MarketTick' ? 'market.ticks' : 'paper.orders.filled',
        source: source.replace('S', s),
        ...(target ? { target: target.replace('S', s) } : {}),
        broker: type === 'MarketTick' ? 'shared' : 'paper',
        ...(type === 'MarketTick' ? {} : { strategyId: s }),
        correlationId: `corr-${first}`,
        correlationSeq: first,
        ...(seq > first ? { causationSeq: seq - 1 } : {}),
        at: `2026-01-05T04:00:0${seq % 10}.000Z`,
        data: type === 'OrderFilled' ? { strategyId: s, quantity: 10 } : {},
      });
    }
  }
  return out;
}

function actorsAt(journal: Rec[], seq: number) {
  const upto = journal.filter((r) => r.seq <= seq);
  const actor = (id: string, kind: string, parent: string | null, context: unknown) => {
    const mine = upto.filter((r) => r.source === id || r.target === id);
    return {
      id,
      kind,
      parent,
      state: 'RUNNING',
      status: 'active',
      restarts: 0,
      messagesIn: upto.filter((r) => r.target === id).length,
      messagesOut: upto.filter((r) => r.source === id).length,
      lastMessageSeq: mine.at(-1)?.seq ?? null,
      lastMessageAgeSeconds: 1,
      context,
      readable: context,
    };
  };
  const list = [actor('root', 'supervisor', null, {})];
  list.push(actor('risk-gate:paper', 'risk-gate', 'root', { tradingState: 'ACTIVE' }));
  list.push(actor('trader:paper', 'trader', 'root', {}));
  for (const s of FAKE_STRATEGIES) {
    const fills = upto.filter((r) => r.type === 'OrderFilled' && r.strategyId === s);
    list.push(actor(`strategy:${s}`, 'strategy', 'root', { strategyId: s }));
    list.push(
      actor(`portfolio:paper:${s}`, 'portfolio', 'root', {
        position: fills.length * 10,
        fills: fills.map((f) => f.seq),
      }),
    );
  }
  return list;
}

export interface FakeInspector {
  readonly base: string;
  close(): Promise<void>;
}

/** Serves the page and the fake routes on a free loopback port; `token` makes reads need it. */
export async function startFakeInspector(opts: { token?: boolean } = {}): Promise<FakeInspector> {
  const journal = fakeJournal();
  const app = router();
  const bySeq = (s: string) => journal.find((r) => r.seq === Number(s));
  app.use('/api/v1/inspector/*', async (c, next) => {
    if (opts.token && c.req.header('authorization') !== `Bearer ${FAKE_TOKEN}`)
      return c.json({ error: { code: 'UNAUTHORIZED', message: 'log in' } }, 401);
    await next();
  });
  app.post('/api/v1/auth/login', async (c) => {
    const b = (await c.req.json()) as { username?: string; password?: string };
    return b.username === FAKE_USER.username && b.password === FAKE_USER.password
      ? c.json({ token: FAKE_TOKEN })
      : c.json({ error: { code: 'BAD_CREDENTIALS', message: 'wrong user or password' } }, 401);
  });
  const last = journal.length;
  app.get('/api/v1/inspector/actors', (c) =>
    c.json({ asOfSeq: last, actors: actorsAt(journal, last) }),
  );
  app.get('/api/v1/inspector/actors/:id', (c) =>
    c.json(actorsAt(journal, last).find((a) => a.id === c.req.param('id'))),
  );
  app.get('/api/v1/inspector/actors/:id/state', (c) =>
    c.json(actorsAt(journal, Number(c.req.query('seq'))).find((a) => a.id === c.req.param('id'))),
  );
  app.get('/api/v1/inspector/state', (c) => {
    const seq = Number(c.req.query('seq'));
    return c.json({ seq, record: bySeq(String(seq)), actors: actorsAt(journal, seq) });
  });
  app.get('/api/v1/inspector/messages/:seq', (c) => c.json(bySeq(c.req.param('seq'))));
  app.get('/api/v1/inspector/messages/:seq/chain', (c) => {
    const r = bySeq(c.req.param('seq'))!;
    const same = journal.filter((x) => x.correlationSeq === r.correlationSeq);
    return c.json({
      back: same.filter((x) => x.seq < r.seq),
      forward: same.filter((x) => x.seq > r.seq),
    });
  });
  app.get('/api/v1/inspector/events', () => {
    const body = journal.map((r) => `id: ${r.seq}\ndata: ${JSON.stringify(r)}\n\n`).join('');
    const stream = new ReadableStream<Uint8Array>({
      start: (ctl) => ctl.enqueue(new TextEncoder().encode(`: open\n\n${body}`)),
    });
    return new Response(stream, { headers: { 'content-type': 'text/event-stream' } });
  });
  inspectorPage(app);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => r());
      }),
  };
}
