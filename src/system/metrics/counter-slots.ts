/**
 * A Prometheus counter whose counts are plain numbers on the hot path: a caller takes a slot once
 * per label set and bumps `slot.n`; the counts are handed to prom-client only when it is scraped,
 * so no label hashing happens per record.
 */
import { Counter, type Registry } from 'prom-client';

/** One label set's count. */
export interface Slot {
  n: number;
}

export interface CounterSpec<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
}

export class CounterSlots<L extends string = string> {
  private readonly slots = new Map<string, { labels: Record<L, string>; slot: Slot }>();
  readonly counter: Counter<L>;

  constructor(
    registry: Registry,
    private readonly spec: CounterSpec<L>,
  ) {
    const entries = this.slots;
    this.counter = new Counter<L>({
      name: spec.name,
      help: spec.help,
      labelNames: spec.labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const { labels, slot } of entries.values()) this.inc(labels as never, slot.n);
      },
    });
  }

  /**
   * The slot of one label set, values in the order of the counter's label names. Cheap enough for
   * a message, not for a tick: keep the slot where a label set is hit per tick.
   */
  at(...values: string[]): Slot {
    const key = values.length === 1 ? values[0]! : values.join('\u0000');
    let e = this.slots.get(key);
    if (e === undefined) {
      const names = this.spec.labelNames;
      if (values.length !== names.length)
        throw new RangeError(
          `${this.spec.name} takes ${names.length} label values (${names.join(', ')}), received ${values.length}`,
        );
      const labels = {} as Record<L, string>;
      names.forEach((name, i) => (labels[name] = values[i]!));
      e = { labels, slot: { n: 0 } };
      this.slots.set(key, e);
    }
    return e.slot;
  }
}
