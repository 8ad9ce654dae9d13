/**
 * The files under STRATEGIES_DIR that strategies read (models): each read once, on first use,
 * and hashed (SHA-256), so a run records the contents it ran with.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import type { StrategyFiles } from '../../strategies/index.js';

/** SHA-256 of `bytes`, hex. */
export function sha256(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

type Entry = { text: string; sha256: string } | { error: string };

export class StrategyFilesDir implements StrategyFiles {
  private readonly read = new Map<string, Entry>();

  constructor(readonly dir: string) {}

  private entry(path: string): Entry {
    const known = this.read.get(path);
    if (known) return known;
    let e: Entry;
    const rel = normalize(path);
    if (isAbsolute(path) || rel === '..' || rel.startsWith(`..${sep}`))
      e = { error: `${path}: a strategy file's path is relative to STRATEGIES_DIR and inside it` };
    else {
      try {
        const bytes = readFileSync(join(this.dir, rel));
        e = { text: bytes.toString('utf8'), sha256: sha256(bytes) };
      } catch (err) {
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err);
        e = { error: `${join(this.dir, rel)}: ${why} (STRATEGIES_DIR is ${this.dir})` };
      }
    }
    this.read.set(path, e);
    return e;
  }

  /** The text of `path`; throws naming the file when it cannot be read. */
  file(path: string): string {
    const e = this.entry(path);
    if ('error' in e) throw new Error(e.error);
    return e.text;
  }

  sha256(path: string): string | undefined {
    const e = this.entry(path);
    return 'error' in e ? undefined : e.sha256;
  }
}
