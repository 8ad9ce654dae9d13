/**
 * The journal's health as the bridge reports it, and the halt it calls for: every gate halts as
 * soon as a write fails or the backlog passes its bound, and resumes once the journal is writable
 * and drained (journaled on control.commands with authority `journal`, which never overrides an
 * operator's halt).
 */
import type { BridgeOptions } from '../runtime/index.js';

/** Sets every gate's journal state: HALTED with a reason, or ACTIVE again. */
export type SetJournalHalt = (halted: boolean, reason: string) => void;

export class JournalHealth {
  private unwritable: string | null = null;
  private backlogged = false;
  private halted = false;

  constructor(
    private readonly setHalt: SetJournalHalt,
    private readonly report: (message: string) => void,
  ) {}

  /** The bridge's callbacks that keep this up to date. */
  bridgeCallbacks(): Pick<BridgeOptions, 'onBacklog' | 'onWriteError' | 'onWriteRecovered'> {
    return {
      onBacklog: (exceeded) => {
        // Past the bound every gate halts; when it drains they resume (invariant 4).
        this.report(exceeded ? exceeded.message : 'journal backlog drained');
        this.backlogged = exceeded !== null;
        this.update();
      },
      onWriteError: (err, attempt) => {
        this.report(`journal write failed (attempt ${attempt}): ${String(err)}`);
        // A journal that cannot be written halts trading at once, not only past the bound.
        this.unwritable ??= err instanceof Error ? err.message : String(err);
        this.update();
      },
      onWriteRecovered: () => {
        this.report('journal writable again');
        this.unwritable = null;
        this.update();
      },
    };
  }

  /** Why the journal cannot take records now (with `backlog` records waiting), or null. */
  problem(backlog: number): string | null {
    if (this.unwritable !== null)
      return `the journal cannot be written (${this.unwritable}); ${backlog} records wait in memory`;
    if (this.backlogged) return `journal backlog ${backlog} records`;
    return null;
  }

  /** The last write error while writes fail, else null. */
  get writeError(): string | null {
    return this.unwritable;
  }

  private update(): void {
    const reason =
      this.unwritable !== null
        ? `journal-unwritable: ${this.unwritable}`
        : this.backlogged
          ? 'JournalBacklogExceeded'
          : null;
    if (reason !== null && !this.halted) {
      this.halted = true;
      this.setHalt(true, reason);
    } else if (reason === null && this.halted) {
      this.halted = false;
      this.setHalt(false, 'journal writable and drained');
    }
  }
}
