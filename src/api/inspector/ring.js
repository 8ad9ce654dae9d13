// A fixed-size ring of the latest records, and the filtered view of it the stream shows.

/** The latest `capacity` records, oldest overwritten first. */
export class Ring {
  constructor(capacity) {
    this.capacity = capacity;
    this.items = new Array(capacity);
    this.total = 0;
  }
  push(item) {
    this.items[this.total % this.capacity] = item;
    this.total++;
  }
  /** The first absolute index still held. */
  get first() {
    return Math.max(0, this.total - this.capacity);
  }
  at(abs) {
    return abs >= this.first && abs < this.total ? this.items[abs % this.capacity] : undefined;
  }
}

/** The absolute ring indices of records that pass `test`, dropped as the ring overwrites them. */
export class View {
  constructor(ring, test) {
    this.ring = ring;
    this.test = test;
    this.idx = [];
    this.start = 0;
    for (let i = ring.first; i < ring.total; i++) if (test(ring.at(i))) this.idx.push(i);
  }
  add(abs) {
    if (this.test(this.ring.at(abs))) this.idx.push(abs);
  }
  /** Drops indices the ring no longer holds; compacts now and then. */
  trim() {
    const first = this.ring.first;
    while (this.start < this.idx.length && this.idx[this.start] < first) this.start++;
    if (this.start > 65536) {
      this.idx = this.idx.slice(this.start);
      this.start = 0;
    }
  }
  get length() {
    return this.idx.length - this.start;
  }
  record(i) {
    return this.ring.at(this.idx[this.start + i]);
  }
  indexOfSeq(seq) {
    for (let i = 0; i < this.length; i++) if (this.record(i)?.seq === seq) return i;
    return -1;
  }
}

/** The actors a record went to: `targets` (the inspector's records) or `target`. */
export function targetsOf(r) {
  if (Array.isArray(r.targets)) return r.targets;
  return r.target ? [r.target] : [];
}

/** The strategy a record concerns: its own `strategyId`, or its data's, or its signal's. */
export function strategyOf(r) {
  const id = r.strategyId ?? r.data?.strategyId ?? r.data?.signal?.strategyId;
  return typeof id === 'string' ? id : undefined;
}

/** The filter a record must pass: each non-empty field narrows it. */
export function recordFilter({ actor, type, broker, correlationId }) {
  const types = type
    ? type
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean)
    : [];
  return (r) => {
    if (!r) return false;
    if (types.length > 0 && !types.includes(r.type)) return false;
    if (broker && r.broker !== broker) return false;
    if (
      correlationId &&
      r.correlationId !== correlationId &&
      String(r.correlationSeq) !== correlationId
    )
      return false;
    if (actor && !touches(r, actor)) return false;
    return true;
  };
}

/** Whether record `r` was sent or received by `actor`, or concerns its strategy. */
function touches(r, actor) {
  if (r.source === actor || targetsOf(r).includes(actor)) return true;
  const strategy = strategyOf(r);
  if (!strategy) return false;
  return actor === `strategy:${strategy}` || actor.endsWith(`:${strategy}`);
}
