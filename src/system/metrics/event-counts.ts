/**
 * `alpha_panda_events_total{broker,actor,type}` on the hot path: one slot per (type, source,
 * broker) found through nested maps, so counting a record builds no string. The `actor` label is
 * the source's kind (`strategy:s1` → `strategy`, `operator:dlq` → `operator`), which keeps the
 * label's values bounded whatever ids the sources carry.
 */
import type { CounterSlots, Slot } from './counter-slots.js';
import { SHARED } from './catalogue.js';

/** Distinct actor kinds past which new ones are counted as `other`. */
const MAX_ACTOR_KINDS = 64;

/** The `broker` label of a record's broker scope: `system` records are not a broker's either. */
export function brokerLabel(scope: string): string {
  return scope === 'system' ? SHARED : scope;
}

export class EventCounts {
  private readonly byType = new Map<string, Map<string, Map<string, Slot>>>();
  private readonly kinds = new Set<string>();

  constructor(private readonly slots: CounterSlots<'broker' | 'actor' | 'type'>) {}

  /** Counts `n` records of `type` from `source` scoped to `scope` (a record's `broker`). */
  count(type: string, source: string, scope: string, n = 1): void {
    let bySource = this.byType.get(type);
    if (bySource === undefined) {
      bySource = new Map();
      this.byType.set(type, bySource);
    }
    let byScope = bySource.get(source);
    if (byScope === undefined) {
      byScope = new Map();
      bySource.set(source, byScope);
    }
    let slot = byScope.get(scope);
    if (slot === undefined) {
      slot = this.slots.at(brokerLabel(scope), this.kindOf(source), type);
      byScope.set(scope, slot);
    }
    slot.n += n;
  }

  /** The slot of one (type, source, scope), for a caller that counts it in bulk (ticks). */
  slot(type: string, source: string, scope: string): Slot {
    this.count(type, source, scope, 0);
    return this.byType.get(type)!.get(source)!.get(scope)!;
  }

  private kindOf(source: string): string {
    const colon = source.indexOf(':');
    const kind = colon < 0 ? source : source.slice(0, colon);
    if (this.kinds.has(kind)) return kind;
    if (this.kinds.size >= MAX_ACTOR_KINDS) return 'other';
    this.kinds.add(kind);
    return kind;
  }
}
