/**
 * The supervision tree as the inspector shows it: every actor with its kind, parent, XState state
 * value, status, restarts and message counts, read from the running actors' snapshots through the
 * trading system's public queries (the same ones the rest of the API uses).
 */
import { actorIds } from '../../runtime/index.js';
import type { TradingSystem } from '../trading-system.js';
import { brokerSupervisor, STRATEGIES } from '../system-tree.js';
import type { MessageCounters } from './message-counters.js';
import { plainOf, readableContext } from './readable.js';

export const ROOT = 'supervisor:root';

export type ActorKind = 'supervisor' | 'strategy' | 'risk-gate' | 'trader' | 'portfolio';
export type ActorStatus = 'RUNNING' | 'DISABLED' | 'FAULTED' | 'HALTED' | 'REDUCING' | 'STOPPED';

export interface ActorView {
  readonly id: string;
  readonly kind: ActorKind;
  readonly parent: string | null;
  /** The XState state value (`"running"`, `{ "trading": "active" }`); null when not running. */
  readonly state: unknown;
  readonly status: ActorStatus;
  /** Restarts within the supervisor's budget window (a supervisor: its children's, summed). */
  readonly restarts: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
  /** The seq of the last record it sent or was sent; null for none. */
  readonly lastSeq: number | null;
  /** How long ago that record was journaled, ms (by the clock given); null for none. */
  readonly lastAgeMs: number | null;
  /** Why it is FAULTED (the supervisor's record), when it is. */
  readonly error?: string;
}

export interface ActorDetail extends ActorView {
  /** The actor's context as its machine keeps it (money in paise, times in epoch ms). */
  readonly context: unknown;
  /** The same with money in rupees and times in IST. */
  readonly readable: unknown;
}

export interface TreeOptions {
  readonly counters?: MessageCounters;
  /** Now, epoch ms, for ages; without it ages are null. */
  readonly nowMs?: number;
}

interface Node {
  readonly id: string;
  readonly kind: ActorKind;
  readonly parent: string | null;
}

/** Every actor id of the system's tree, parents before children. */
function nodesOf(system: TradingSystem): Node[] {
  const brokers = system.brokerStatuses().map((b) => b.broker);
  const configs = system.startConfigs();
  const nodes: Node[] = [
    { id: ROOT, kind: 'supervisor', parent: null },
    { id: STRATEGIES, kind: 'supervisor', parent: ROOT },
  ];
  for (const c of configs)
    nodes.push({ id: actorIds.strategy(c.id), kind: 'strategy', parent: STRATEGIES });
  for (const b of brokers) {
    const sup = brokerSupervisor(b);
    nodes.push({ id: sup, kind: 'supervisor', parent: ROOT });
    nodes.push({ id: actorIds.riskGate(b), kind: 'risk-gate', parent: sup });
    nodes.push({ id: actorIds.trader(b), kind: 'trader', parent: sup });
    for (const c of configs)
      if (c.brokers.includes(b))
        nodes.push({ id: actorIds.portfolio(b, c.id), kind: 'portfolio', parent: sup });
  }
  return nodes;
}

function statusOf(kind: ActorKind, context: unknown, running: boolean, faulted: boolean) {
  if (faulted) return 'FAULTED' as const;
  if (!running) return 'STOPPED' as const;
  const ctx = context as {
    enabled?: boolean;
    brokerState?: { state?: string };
  } | null;
  if (kind === 'strategy' && ctx?.enabled === false) return 'DISABLED' as const;
  if (kind === 'risk-gate') {
    const st = ctx?.brokerState?.state;
    if (st === 'HALTED' || st === 'REDUCING') return st;
  }
  return 'RUNNING' as const;
}

/** Every actor of `system`'s supervision tree, with its context when `withContext`. */
export function actorTree(system: TradingSystem, opts: TreeOptions = {}): ActorDetail[] {
  const state = system.snapshotState();
  const faults = system.faults();
  const out: ActorDetail[] = [];
  const restartsOf = (sup: string | null, id: string) =>
    sup === null ? 0 : (state.supervisors[sup]?.restarts[id]?.length ?? 0);
  for (const n of nodesOf(system)) {
    const counts = opts.counters?.of(n.id);
    const last = counts && counts.lastSeq > 0 ? counts : null;
    const base = {
      id: n.id,
      kind: n.kind,
      parent: n.parent,
      messagesIn: counts?.messagesIn ?? 0,
      messagesOut: counts?.messagesOut ?? 0,
      lastSeq: last ? last.lastSeq : null,
      lastAgeMs: last && opts.nowMs !== undefined ? Math.max(0, opts.nowMs - last.lastTs) : null,
    };
    if (n.kind === 'supervisor') {
      const sup = n.id === ROOT ? null : state.supervisors[n.id];
      const restarts = sup
        ? Object.values(sup.restarts).reduce((a, r) => a + r.length, 0)
        : Object.values(state.supervisors).reduce(
            (a, s) => a + Object.values(s.restarts).reduce((b, r) => b + r.length, 0),
            0,
          );
      const context = plainOf(
        sup
          ? { restarts: sup.restarts, faulted: sup.faulted }
          : { children: Object.keys(state.supervisors) },
      );
      out.push({
        ...base,
        state: 'supervising',
        status: 'RUNNING',
        restarts,
        context,
        readable: readableContext(context),
      });
      continue;
    }
    const ref = system.actor(n.id);
    const snap = ref?.getSnapshot() as { value?: unknown; context?: unknown; status?: string };
    const running = snap?.status === 'active';
    const error = faults[n.id];
    const context = plainOf(snap?.context ?? null);
    out.push({
      ...base,
      state: running ? plainOf(snap.value) : null,
      status: statusOf(n.kind, context, running, error !== undefined),
      restarts: restartsOf(n.parent, n.id),
      ...(error === undefined ? {} : { error }),
      context,
      readable: readableContext(context),
    });
  }
  return out;
}

/** An actor's view without its context. */
export function withoutContext(a: ActorDetail): ActorView {
  const { context: _c, readable: _r, ...view } = a;
  return view;
}
