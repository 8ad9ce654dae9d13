/**
 * A fixed-capacity history kept as plain data (it survives JSON, so it can sit in a snapshot):
 * the newest `capacity` values pushed, read oldest first.
 */

/** The ring's state: `values[start]` is the oldest of `size` values once the ring is full. */
export interface Ring<T = number> {
  readonly capacity: number;
  values: T[];
  /** Index in `values` of the oldest value. */
  start: number;
}

/** An empty ring holding at most `capacity` values (an integer ≥ 1). */
export function ring<T = number>(capacity: number): Ring<T> {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`ring capacity must be an integer >= 1, got ${capacity}`);
  }
  return { capacity, values: [], start: 0 };
}

/** Appends `v`, dropping the oldest value when the ring is full. Changes `r` in place. */
export function ringPush<T>(r: Ring<T>, v: T): void {
  if (r.values.length < r.capacity) {
    r.values.push(v);
    return;
  }
  r.values[r.start] = v;
  r.start = (r.start + 1) % r.capacity;
}

/** How many values it holds (at most its capacity). */
export function ringLength<T>(r: Ring<T>): number {
  return r.values.length;
}

/** Whether it holds `capacity` values. */
export function ringFull<T>(r: Ring<T>): boolean {
  return r.values.length === r.capacity;
}

/** The value at `i`, 0 being the oldest; undefined outside [0, length). */
export function ringAt<T>(r: Ring<T>, i: number): T | undefined {
  const n = r.values.length;
  if (!Number.isInteger(i) || i < 0 || i >= n) return undefined;
  return r.values[(r.start + i) % n];
}

/** The value `back` pushes before the newest (0: the newest); undefined when it is not held. */
export function ringLast<T>(r: Ring<T>, back = 0): T | undefined {
  return ringAt(r, r.values.length - 1 - back);
}

/** Its values, oldest first, as a new array. */
export function ringValues<T>(r: Ring<T>): T[] {
  return r.start === 0
    ? r.values.slice()
    : r.values.slice(r.start).concat(r.values.slice(0, r.start));
}

/** A copy that shares nothing mutable with `r` (values are copied shallowly). */
export function ringClone<T>(r: Ring<T>): Ring<T> {
  return { capacity: r.capacity, values: r.values.slice(), start: r.start };
}
