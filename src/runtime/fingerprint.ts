/**
 * The run's fingerprint: a SHA-256 chain over the derived stream. Lines are hashed a block at a
 * time (`chain = sha256(chain ‖ block)` every FINGERPRINT_BLOCK lines), so the whole state is the
 * chain and at most one block of pending lines: a snapshot carries it, and a run restored from a
 * snapshot ends with the same fingerprint as one that never stopped.
 */
import { createHash } from 'node:crypto';

export const FINGERPRINT_BLOCK = 256;

/** What the fingerprint hashes of one derived record: its type, key and data (wall-clock fields stay out). */
export function fingerprintLine(type: string, key: string, data: unknown): string {
  return `${type}\u001f${key}\u001f${JSON.stringify(data)}\n`;
}

export interface FingerprintState {
  /** Hex SHA-256 over the blocks so far; empty before the first block. */
  readonly chain: string;
  /** Lines since the last block, fewer than FINGERPRINT_BLOCK. */
  readonly pending: readonly string[];
}

export class Fingerprint {
  private chain: string;
  private pending: string[];

  constructor(state?: FingerprintState) {
    if (state !== undefined) {
      if (!/^([0-9a-f]{64})?$/.test(state.chain) || state.pending.length >= FINGERPRINT_BLOCK)
        throw new TypeError(
          'fingerprint state is invalid: a 64-hex chain and fewer than a block of lines are expected',
        );
    }
    this.chain = state?.chain ?? '';
    this.pending = state ? [...state.pending] : [];
  }

  add(line: string): void {
    this.pending.push(line);
    if (this.pending.length === FINGERPRINT_BLOCK) {
      this.chain = createHash('sha256')
        .update(this.chain)
        .update(this.pending.join(''))
        .digest('hex');
      this.pending = [];
    }
  }

  /** The fingerprint so far, hex. */
  digest(): string {
    return createHash('sha256').update(this.chain).update(this.pending.join('')).digest('hex');
  }

  state(): FingerprintState {
    return { chain: this.chain, pending: [...this.pending] };
  }
}
