/** Counts of a run's records and deliveries, and its fingerprint over the derived stream. */
import { Fingerprint, fingerprintLine, type FingerprintState } from './fingerprint.js';

export { fingerprintLine } from './fingerprint.js';

export interface SwitchboardStats {
  readonly records: number;
  readonly inputs: number;
  readonly derived: number;
  readonly deliveries: number;
  readonly deadLettered: number;
  readonly byType: Readonly<Record<string, number>>;
}

/** Everything a RunStats holds, for snapshots. */
export interface RunStatsState extends SwitchboardStats {
  readonly fingerprint: FingerprintState;
}

export class RunStats {
  private hash = new Fingerprint();
  private readonly byType = new Map<string, number>();
  records = 0;
  inputs = 0;
  derived = 0;
  deliveries = 0;
  deadLettered = 0;

  /** Counts `n` input records of `type`. */
  input(type: string, n: number): void {
    this.records += n;
    this.inputs += n;
    this.bump(type, n);
  }

  /** Counts a derived record and adds (type, key, data) to the fingerprint; wall-clock fields stay out. */
  derive(type: string, key: string, data: unknown): void {
    this.records++;
    this.derived++;
    this.bump(type, 1);
    this.hash.add(fingerprintLine(type, key, data));
  }

  bump(type: string, n: number): void {
    this.byType.set(type, (this.byType.get(type) ?? 0) + n);
  }

  /** The fingerprint so far, hex. */
  fingerprint(): string {
    return this.hash.digest();
  }

  state(): RunStatsState {
    return { ...this.snapshot(), fingerprint: this.hash.state() };
  }

  /** Continues from `s` (a state taken by `state()`). */
  restore(s: RunStatsState): void {
    this.hash = new Fingerprint(s.fingerprint);
    this.records = s.records;
    this.inputs = s.inputs;
    this.derived = s.derived;
    this.deliveries = s.deliveries;
    this.deadLettered = s.deadLettered;
    this.byType.clear();
    for (const [k, v] of Object.entries(s.byType)) this.byType.set(k, v);
  }

  snapshot(): SwitchboardStats {
    const { records, inputs, derived, deliveries, deadLettered } = this;
    return {
      records,
      inputs,
      derived,
      deliveries,
      deadLettered,
      byType: Object.fromEntries(this.byType),
    };
  }
}
