import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import type { ActorFaulted, ActorRestarted, SetTradingState } from '../model/index.js';
import { probeMachine, type ProbeContext, type React } from '../../test/helpers/probe-actor.js';
import { SimulatedClock } from './clock.js';
import {
  childOf,
  supervisorMachine,
  supervisorState,
  type ChildSpec,
  type SupervisorContext,
  type SupervisorInput,
  type SupervisorState,
} from './supervisor.js';

const T0 = 1_767_584_700_000;

/** Throws on `TimerFired boom`, keeps every other event. */
const boomOn: React = (e) => {
  if (e.type === 'TimerFired' && e.timer === 'boom') throw new Error('boom');
  return [];
};
const spec = (id: string): ChildSpec => ({ id, logic: probeMachine(id, boomOn), input: {} });

type Emitted = ActorRestarted | ActorFaulted | SetTradingState;

function supervisor(over: Partial<SupervisorInput> = {}) {
  const clock = new SimulatedClock(T0);
  const input: SupervisorInput = {
    name: 'test',
    children: [spec('a'), spec('b')],
    budget: { maxRestarts: 3, windowMs: 1_000 },
    clock,
    ...over,
  };
  const sup = createActor(supervisorMachine, { input });
  const emitted: Emitted[] = [];
  sup.on('*', (e) => emitted.push(e as Emitted));
  const errors: unknown[] = [];
  sup.subscribe({ error: (err) => errors.push(err) });
  sup.start();
  const child = (id: string) => childOf(sup, id);
  const send = (id: string, timer: string) => child(id)!.send({ type: 'TimerFired', timer });
  const got = (id: string) =>
    (child(id)!.getSnapshot().context as ProbeContext).got.map((e) =>
      e.type === 'TimerFired' ? e.timer : e.type,
    );
  const ctx = () => sup.getSnapshot().context as SupervisorContext;
  return { sup, clock, emitted, errors, child, send, got, ctx };
}

const restarted = (actorId: string, restarts: number): ActorRestarted => ({
  type: 'ActorRestarted',
  actorId,
  restarts,
  error: 'Error: boom',
});

describe('supervisor: one-for-one restart', () => {
  it('restarts only the child that threw, from its last good context', () => {
    const s = supervisor();
    s.send('a', 'x1');
    s.send('a', 'x2');
    s.send('b', 'y1');
    const [a, b] = [s.child('a'), s.child('b')];
    s.send('a', 'boom');
    expect(s.child('a')).not.toBe(a);
    expect(s.child('a')!.getSnapshot().status).toBe('active');
    expect(s.got('a')).toEqual(['x1', 'x2']);
    expect(s.child('b')).toBe(b);
    expect(s.got('b')).toEqual(['y1']);
    s.send('a', 'x3');
    expect(s.got('a')).toEqual(['x1', 'x2', 'x3']);
    expect(s.emitted).toEqual([restarted('a', 1)]);
    expect(s.ctx().restarts).toEqual({ a: [T0] });
    expect(s.errors).toEqual([]);
  });

  it('faults a child once it has spent its budget within the window, keeping its last good context', () => {
    const s = supervisor();
    s.send('a', 'x1');
    for (let i = 0; i < 3; i++) {
      s.clock.advance(100);
      s.send('a', 'boom');
    }
    expect(s.emitted).toEqual([1, 2, 3].map((n) => restarted('a', n)));
    s.clock.advance(100);
    s.send('a', 'boom');
    expect(s.emitted.slice(3)).toEqual([
      { type: 'ActorFaulted', actorId: 'a', restarts: 3, error: 'Error: boom' },
    ]);
    expect(s.child('a')).toBeUndefined();
    expect(s.ctx().faulted).toEqual({ a: 'Error: boom' });
    expect(s.ctx().lastGood).toEqual({ a: { got: [{ type: 'TimerFired', timer: 'x1' }] } });
    expect(s.child('b')!.getSnapshot().status).toBe('active');
    expect(s.errors).toEqual([]);
  });

  it('counts only the restarts within the window: one exactly a window ago no longer counts', () => {
    const s = supervisor();
    for (const at of [0, 100, 200]) {
      s.clock.set(T0 + at);
      s.send('a', 'boom');
    }
    s.clock.set(T0 + 1_000); // the restart at T0 is a whole window ago
    s.send('a', 'boom');
    s.clock.set(T0 + 1_150); // and now the one at T0 + 100 too
    s.send('a', 'boom');
    expect(s.emitted.map((e) => [e.type, 'restarts' in e ? e.restarts : null])).toEqual([
      ['ActorRestarted', 1],
      ['ActorRestarted', 2],
      ['ActorRestarted', 3],
      ['ActorRestarted', 3],
      ['ActorRestarted', 3],
    ]);
    expect(s.ctx().restarts).toEqual({ a: [T0 + 200, T0 + 1_000, T0 + 1_150] });
    s.send('a', 'boom'); // a fourth within the window
    expect(s.emitted.at(-1)).toMatchObject({ type: 'ActorFaulted', restarts: 3 });
  });

  it('halts its broker when a child of a broker subtree faults', () => {
    const s = supervisor({ haltsBroker: 'zerodha', budget: { maxRestarts: 1, windowMs: 1_000 } });
    s.send('a', 'boom');
    s.send('a', 'boom');
    expect(s.emitted.slice(1)).toEqual([
      { type: 'ActorFaulted', actorId: 'a', restarts: 1, error: 'Error: boom' },
      {
        type: 'SetTradingState',
        broker: 'zerodha',
        state: 'HALTED',
        reason: 'a faulted after 1 restarts: Error: boom',
      },
    ]);
    const plain = supervisor({ budget: { maxRestarts: 0, windowMs: 1_000 } });
    plain.send('a', 'boom');
    expect(plain.emitted.map((e) => e.type)).toEqual(['ActorFaulted']);
  });
});

describe('supervisor: operator commands', () => {
  it('revives a faulted child from its last good context with a fresh budget', () => {
    const s = supervisor({ budget: { maxRestarts: 1, windowMs: 1_000 } });
    s.send('a', 'x1');
    s.send('a', 'boom');
    s.send('a', 'boom');
    expect(s.child('a')).toBeUndefined();
    s.sup.send({ type: 'ReviveChild', id: 'a', reason: 'fixed' });
    expect(s.got('a')).toEqual(['x1']);
    expect(s.emitted.at(-1)).toEqual({
      type: 'ActorRestarted',
      actorId: 'a',
      restarts: 0,
      error: 'revived (fixed) after it faulted with Error: boom',
    });
    expect([s.ctx().faulted, s.ctx().lastGood, s.ctx().restarts]).toEqual([{}, {}, {}]);
    s.send('a', 'boom'); // the fresh budget allows one restart again
    expect(s.emitted.at(-1)).toEqual(restarted('a', 1));
    expect(s.child('a')!.getSnapshot().status).toBe('active');
  });

  it('ignores ReviveChild for a child that is running or unknown', () => {
    const s = supervisor();
    const a = s.child('a');
    s.sup.send({ type: 'ReviveChild', id: 'a', reason: 'no need' });
    s.sup.send({ type: 'ReviveChild', id: 'nobody', reason: 'no one' });
    expect(s.child('a')).toBe(a);
    expect(s.emitted).toEqual([]);
  });

  it('stops a child for good and starts a new one by its spec', () => {
    const s = supervisor();
    s.sup.send({ type: 'StopChild', id: 'b' });
    expect(s.child('b')).toBeUndefined();
    expect(Object.keys(s.ctx().specs)).toEqual(['a']);
    const c: ChildSpec = { ...spec('c'), input: { restore: { got: [] } } };
    s.sup.send({ type: 'StartChild', spec: c });
    s.send('c', 'z1');
    expect(s.got('c')).toEqual(['z1']);
    s.send('c', 'boom'); // a started child is supervised like the others
    expect(s.emitted).toEqual([restarted('c', 1)]);
    expect(s.got('c')).toEqual(['z1']);
  });

  it('starts a faulted child again on StartChild and clears its fault', () => {
    const s = supervisor({ budget: { maxRestarts: 0, windowMs: 1_000 } });
    s.send('a', 'boom');
    expect(s.ctx().faulted).toHaveProperty('a');
    s.sup.send({ type: 'StartChild', spec: spec('a') });
    expect(s.ctx().faulted).toEqual({});
    expect(s.got('a')).toEqual([]);
  });
});

describe('supervisor: snapshots', () => {
  it('round-trips its state: children resume their contexts, faults and restart history stay', () => {
    const s = supervisor({ budget: { maxRestarts: 2, windowMs: 1_000 } });
    s.send('a', 'x1');
    s.send('a', 'boom');
    s.send('a', 'x2');
    s.send('b', 'y1');
    for (let i = 0; i < 3; i++) s.send('b', 'boom');
    expect(s.child('b')).toBeUndefined();
    const state = JSON.parse(JSON.stringify(supervisorState(s.sup))) as SupervisorState;
    expect(state).toEqual({
      restarts: { a: [T0], b: [T0, T0, T0] },
      faulted: { b: 'Error: boom' },
      lastGood: { b: { got: [{ type: 'TimerFired', timer: 'y1' }] } },
      children: { a: { got: ['x1', 'x2'].map((timer) => ({ type: 'TimerFired', timer })) } },
    });

    const r = supervisor({ budget: { maxRestarts: 2, windowMs: 1_000 }, restore: state });
    expect(r.got('a')).toEqual(['x1', 'x2']);
    expect(r.child('b')).toBeUndefined();
    expect(r.ctx().faulted).toEqual({ b: 'Error: boom' });
    expect(r.ctx().startFrom).toEqual({});
    // The restart history carries over: one restart left for a within the window.
    r.send('a', 'boom');
    r.send('a', 'boom');
    expect(r.emitted.map((e) => e.type)).toEqual(['ActorRestarted', 'ActorFaulted']);
    // And b can be revived from the last good context the snapshot kept.
    r.sup.send({ type: 'ReviveChild', id: 'b', reason: 'fixed' });
    expect(r.got('b')).toEqual(['y1']);
  });
});
