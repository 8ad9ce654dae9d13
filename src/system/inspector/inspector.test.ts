/**
 * The inspector over a real in-process trading system's journal: the tree, readable contexts,
 * causation chains both ways, state at earlier seqs equal to a replay to each seq, and the event
 * stream filtered by actor.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStrategies } from '../../config/index.js';
import { loadSettings } from '../../config/index.js';
import { MockMarket } from '../../feed/index.js';
import type { JournalRecord, MarketTick } from '../../model/index.js';
import {
  journalId,
  LmdbTransport,
  SeededRandom,
  SimulatedClock,
  SNAPSHOT_FORMAT,
  type Snapshot,
} from '../../runtime/index.js';
import { MACHINE_VERSIONS } from '../versions.js';
import { TimeTravel } from './time-travel.js';

import { instruments, ROOT, tempDir } from '../../../test/helpers/system.js';
import { runReplay } from '../replay.js';
import { runSpec, systemOptions } from '../run-spec.js';
import { TradingSystem } from '../trading-system.js';
import { eventStream } from '../event-stream.js';
import { actorTree, withoutContext } from './actor-view.js';
import { journalInspector, liveInspector, MessageCounters } from './inspector.js';
import type { StreamEvent } from '../stream-event.js';

const dir = tempDir('ap-inspector-');
let sys: TradingSystem;
let transport: LmdbTransport;
let counters: MessageCounters;
const records: JournalRecord[] = [];
/** A snapshot of the run halfway, as the snapshotter takes it (between inputs). */
let snapshot: Snapshot;

beforeAll(async () => {
  const inst = instruments();
  const run = runSpec(loadSettings({}), inst, loadStrategies(join(ROOT, 'config')), 7);
  const clock = new SimulatedClock(Date.UTC(2026, 0, 5, 3, 45));
  const random = new SeededRandom(7);
  transport = new LmdbTransport(join(dir.path, 'journal'));
  counters = new MessageCounters();
  sys = await TradingSystem.open(systemOptions(run, { clock, random, transport }), counters.tap);
  sys.switchboard.tapTicks(counters.ticks);
  const market = new MockMarket(inst, random.fork('market'));
  for (let b = 0; b < 150; b++) {
    if (b === 75)
      snapshot = {
        format: SNAPSHOT_FORMAT,
        journal: journalId(sys.meta),
        runStartSeq: 1,
        seq: sys.switchboard.lastSeq,
        ts: clock.now(),
        machines: MACHINE_VERSIONS,
        takenAt: '2026-01-05T04:00:00.000Z',
        state: sys.snapshotState(),
      };
    const ticks: MarketTick[] = [];
    for (let i = 0; i < 100; i++) {
      clock.advance(10);
      ticks.push(market.next(clock.now()));
    }
    sys.ingestTicks(ticks);
  }
  await sys.bridge.flush();
  for await (const r of transport.read(1)) records.push(r);
}, 120_000);

afterAll(async () => {
  await sys.close();
  dir.remove();
});

/**
 * The actors a replay of the journal through `until` leaves: read the moment every record up to
 * `until` has been delivered (a derived record's chain stops there), or at the end.
 */
async function replayedTo(until: number) {
  let tree: ReturnType<typeof actorTree> | undefined;
  await runReplay(transport, {
    until,
    atStart: (s) =>
      s.switchboard.watchDeliveries((next) => {
        if (tree === undefined && next > until) tree = actorTree(s);
      }),
    atEnd: (s) => (tree ??= actorTree(s)),
  });
  tree ??= [];
  return tree.map((a) => ({ id: a.id, state: a.state, status: a.status, context: a.context }));
}

describe('inspector', () => {
  it('lists the supervision tree with kinds, parents, states and message counts', async () => {
    const ins = liveInspector({
      system: sys,
      transport,
      events: eventStream(sys, transport),
      counters,
      wallMs: () => records.at(-1)!.ts + 1000,
    });
    const actors = await ins.actors();
    const byId = new Map(actors.map((a) => [a.id, a]));
    expect(byId.get('supervisor:root')?.parent).toBeNull();
    expect(byId.get('risk-gate:paper')).toMatchObject({
      kind: 'risk-gate',
      parent: 'supervisor:broker:paper',
      status: 'RUNNING',
    });
    const strategies = actors.filter((a) => a.kind === 'strategy');
    expect(strategies.length).toBeGreaterThan(0);
    expect(strategies.every((s) => s.parent === 'supervisor:strategies')).toBe(true);
    // Signals flow from strategies into the paper gate: counted on both sides.
    const signals = records.filter((r) => r.type === 'TradingSignal' && r.broker === 'paper');
    expect(signals.length).toBeGreaterThan(0);
    const gate = byId.get('risk-gate:paper')!;
    expect(gate.messagesIn).toBeGreaterThanOrEqual(signals.length);
    expect(gate.lastSeq).toBeGreaterThan(0);
    expect(gate.lastAgeMs).toBeGreaterThanOrEqual(1000);
    expect(byId.get('feed')).toBeUndefined();
    expect(await ins.actor('nobody:here')).toBeNull();
    await ins.close();
  });

  it('gives an actor its context raw and readable: rupees and IST', async () => {
    const ins = journalInspector(transport, sys.meta);
    const id = (await ins.actors()).find((a) => a.kind === 'portfolio')!.id;
    const a = (await ins.actor(id))!;
    const raw = a.context as { cash: number };
    const readable = a.readable as { cash: string };
    const rupees = `₹${Math.floor(raw.cash / 100)}.${String(raw.cash % 100).padStart(2, '0')}`;
    expect(readable.cash).toBe(rupees);
    const msg = (await ins.message(records.at(-1)!.seq))!;
    expect(msg.atIst).toMatch(/\+05:30$/);
    expect(Date.parse(msg.atIst)).toBe(records.at(-1)!.ts);
    await ins.close();
  });

  it('follows causation back from a fill to its tick and forward from the tick to the fill', async () => {
    const ins = journalInspector(transport, sys.meta);
    const fill = records.find((r) => r.type === 'OrderFilled')!;
    expect(fill).toBeDefined();
    const chain = (await ins.chain(fill.seq))!;
    const back = chain.back.map((m) => m.type);
    expect(back[0]).toBe('OrderFilled');
    expect(back.at(-1)).toBe('MarketTick');
    expect(back).toContain('SubmitOrder');
    expect(back).toContain('TradingSignal');
    for (let i = 1; i < chain.back.length; i++)
      expect(chain.back[i - 1]!.causationSeq).toBe(chain.back[i]!.seq);
    const tick = chain.back.at(-1)!;
    const fwd = (await ins.chain(tick.seq))!;
    const seqs = fwd.forward.map((m) => m.seq);
    for (const m of chain.back.slice(0, -1)) expect(seqs).toContain(m.seq);
    expect(fwd.forward.every((m) => m.correlationSeq === tick.seq)).toBe(true);
    expect(fwd.truncated).toBe(false);
    await ins.close();
  });

  it('gives the state at three earlier seqs exactly as a replay to each seq gives it', async () => {
    const ins = journalInspector(transport, sys.meta);
    const fill = records.find((r) => r.type === 'OrderFilled')!.seq;
    const last = records.at(-1)!.seq;
    // Forward, then back (a restart), including a seq inside a tick batch and a derived one.
    const seqs = [Math.floor(last / 3) + 1, fill, Math.floor(last / 5) + 3];
    const seen = new Set<string>();
    for (const n of seqs) {
      const at = (await ins.stateAt(n))!;
      expect(at.record.seq).toBe(n);
      const mine = at.actors.map((a) => ({
        id: a.id,
        state: a.state,
        status: a.status,
        context: a.context,
      }));
      expect(mine).toEqual(await replayedTo(n));
      seen.add(JSON.stringify(mine));
    }
    expect(seen.size).toBe(3);
    expect(await ins.stateAt(last + 1)).toBeNull();
    expect(await ins.stateAt(0)).toBeNull();
    await ins.close();
  }, 120_000);

  it('starts time travel from the snapshot when it is at or before the seq, with the same state', async () => {
    const travel = new TimeTravel(transport, { snapshot: () => Promise.resolve(snapshot) });
    const view = (p: Awaited<ReturnType<TimeTravel['at']>>) =>
      (p!.actors ?? actorTree(p!.system)).map((a) => ({
        id: a.id,
        state: a.state,
        status: a.status,
        context: a.context,
      }));
    const before = snapshot.seq - 7;
    // The last tick of the first batch after the snapshot (batches of 100): no cut batch there.
    const after = snapshot.seq + 100;
    expect(view(await travel.at(before))).toEqual(await replayedTo(before));
    expect(travel.fromSnapshot).toBe(0);
    // Past the snapshot: the snapshot is the shorter way there.
    expect(view(await travel.at(after))).toEqual(await replayedTo(after));
    expect(travel.fromSnapshot).toBe(1);
    // One step on, into the chain the batch started: that input is fed again with its deliveries
    // watched, from the snapshot (the shortest way), not from the run's start.
    expect(view(await travel.at(after + 1))).toEqual(await replayedTo(after + 1));
    expect(travel.fromSnapshot).toBe(2);
    // Another step inside the same chain: the same again, one more message delivered.
    expect(view(await travel.at(after + 2))).toEqual(await replayedTo(after + 2));
    await travel.close();
  }, 120_000);

  it('filters the event stream by actor, as source or target', async () => {
    const ins = journalInspector(transport, sys.meta);
    const got: StreamEvent[] = [];
    const last = records.at(-1)!.seq;
    await new Promise<void>((resolve, reject) => {
      const stop = ins.subscribe(
        0,
        { actor: 'trader:paper' },
        (e) => {
          got.push(e);
          if (e.seq >= last - 200) {
            stop();
            resolve();
          }
        },
        reject,
      );
      setTimeout(() => resolve(), 5_000);
    });
    expect(got.length).toBeGreaterThan(0);
    const types = new Set(got.map((e) => e.type));
    expect(types.has('SignalValidated')).toBe(true); // to the trader
    expect(types.has('SubmitOrder')).toBe(true); // from it
    expect(types.has('TradingSignal')).toBe(false); // strategy to gate only
    expect(got.every((e) => e.source === 'trader:paper' || e.type !== 'TradingSignal')).toBe(true);
    await ins.close();
  });
});

it('views drop the context', () => {
  expect(
    withoutContext({
      id: 'a',
      kind: 'trader',
      parent: null,
      state: null,
      status: 'STOPPED',
      restarts: 0,
      messagesIn: 0,
      messagesOut: 0,
      lastSeq: null,
      lastAgeMs: null,
      context: 1,
      readable: 1,
    }),
  ).not.toHaveProperty('context');
});
