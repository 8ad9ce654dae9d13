/**
 * A data file's CSV as a header and numbered rows: comma-separated, no quoting (the formats hold
 * numbers and dates only), blank lines and lines starting with `#` skipped, CRLF accepted.
 */
import { HistoryDataError, type Suggest } from './history-error.js';

export interface CsvRow {
  /** 1-based line in the file. */
  readonly line: number;
  readonly cells: readonly string[];
}

export interface CsvTable {
  readonly file: string;
  readonly header: readonly string[];
  readonly rows: readonly CsvRow[];
  /** The index of column `name`; undefined when the file has none. */
  index(name: string): number | undefined;
  /** The index of column `name`; a HistoryDataError naming the nearest header when missing. */
  require(name: string): number;
}

/** Parses `text` (the content of `file`); the first line that is not blank or `#` is the header. */
export function parseCsv(file: string, text: string, suggest: Suggest): CsvTable {
  const lines = text.split('\n');
  let header: string[] | null = null;
  let headerLine = 0;
  const rows: CsvRow[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const cells = raw.split(',').map((c) => c.trim());
    if (header === null) {
      header = cells.map((c) => c.toLowerCase());
      headerLine = i + 1;
      continue;
    }
    if (cells.length !== header.length)
      throw new HistoryDataError(
        file,
        i + 1,
        `expected ${header.length} fields (${header.join(',')}), found ${cells.length}`,
      );
    rows.push({ line: i + 1, cells });
  }
  if (header === null) throw new HistoryDataError(file, null, 'the file is empty (no header)');
  const cols = header;
  const index = (name: string): number | undefined => {
    const i = cols.indexOf(name);
    return i < 0 ? undefined : i;
  };
  return {
    file,
    header: cols,
    rows,
    index,
    require(name) {
      const i = index(name);
      if (i !== undefined) return i;
      const near = suggest(name, cols);
      const hint = near === undefined ? '' : `; is "${near}" meant to be "${name}"?`;
      throw new HistoryDataError(
        file,
        headerLine,
        `no column "${name}" in the header (${cols.join(',')})${hint}`,
      );
    },
  };
}

/** The cell's number; a HistoryDataError naming the column when it is not a finite number. */
export function numberCell(t: CsvTable, row: CsvRow, col: number): number {
  const s = row.cells[col]!;
  const n = s === '' ? NaN : Number(s);
  if (!Number.isFinite(n))
    throw new HistoryDataError(
      t.file,
      row.line,
      `${t.header[col]} is not a number: ${JSON.stringify(s)}`,
    );
  return n;
}

/** Rupees to paise, rounded to the nearest multiple of `tickSize` paise. */
export function tickPaise(rupees: number, tickSize: number): number {
  const p = Math.round(rupees * 100);
  return Math.round(p / tickSize) * tickSize;
}
