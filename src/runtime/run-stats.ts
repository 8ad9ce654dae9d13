/** Counts of a run's records and deliveries, and its fingerprint: SHA-256 over the derived stream. */
import { createHash, type Hash } from 'node:crypto';

/**
 * What the fingerprint hashes of one derived record: its type, key and data (wall-clock fields
 * stay out). Replay hashes recorded records the same way to compare.
 */
export function fingerprintLine(type: string, key: string, data: unknown): string {
  return `${type}\u001f${key}\u001f${JSON.stringify(data)}\n`;
}

export interface SwitchboardStats {
  readonly records: number;
  readonly inputs: number;
  readonly derived: number;
  readonly deliveries: number;
  readonly deadLettered: number;
  readonly byType: Readonly<Record<string, number>>;
}

export class RunStats {
  private readonly hash: Hash = createHash('sha256');
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
    this.hash.update(fingerprintLine(type, key, data));
  }

  bump(type: string, n: number): void {
    this.byType.set(type, (this.byType.get(type) ?? 0) + n);
  }

  /** The fingerprint so far, hex. */
  fingerprint(): string {
    return this.hash.copy().digest('hex');
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
