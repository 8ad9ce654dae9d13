/** HistoryDataError: a data file for a backtest that cannot be read, with its file and line. */
import { AlphaPandaError } from '../../runtime/index.js';

/** Suggests the nearest of `candidates` to a misspelled `name` (config's `nearest`). */
export type Suggest = (name: string, candidates: readonly string[]) => string | undefined;

/**
 * A backtest's data is unusable: the message names the file, the line (1-based, the header is
 * line 1) when one is to blame, what was found and how to fix it.
 */
export class HistoryDataError extends AlphaPandaError {
  constructor(
    readonly file: string,
    readonly line: number | null,
    problem: string,
  ) {
    super('HISTORY_DATA_INVALID', `${file}${line === null ? '' : `:${line}`}: ${problem}`);
  }
}
