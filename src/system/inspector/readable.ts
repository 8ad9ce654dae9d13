/**
 * An actor's context as a person reads it: money fields (integer paise) as rupees and epoch-ms
 * time fields as IST date-times. The raw context stays the reference; this is a view of it.
 */
import { istIso } from '../../model/index.js';

/** Field names that hold money in paise (the project keeps money as integer paise). */
const MONEY =
  /^(cash|fees|charges|price|amount|value|notional|equity)$|(Cash|Fees|Charges|Price|Pnl|Equity|Notional|Value|Loss|Paise|Amount)$/;
/** Field names that hold epoch-ms times. */
const TIME = /^(ts|at|time)$|(At|Ms|Ts|Time)$|^restarts$/;
/** Epoch ms between 2001 and 2286: anything else under a time name is a duration or a count. */
const isEpochMs = (n: number) => Number.isInteger(n) && n >= 1e12 && n < 1e13;

/** Integer paise as rupees with two decimals and the rupee sign, `₹1234.50` (`-₹0.05`). */
export function rupeesOf(paise: number): string {
  const sign = paise < 0 ? '-' : '';
  const abs = Math.abs(paise);
  return `${sign}₹${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function readableValue(key: string, v: unknown, depth: number): unknown {
  if (depth > 12) return v;
  if (typeof v === 'number') {
    if (MONEY.test(key) && Number.isSafeInteger(v)) return rupeesOf(v);
    if (TIME.test(key) && isEpochMs(v)) return istIso(v);
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => readableValue(key, x, depth + 1));
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = readableValue(k, x, depth + 1);
    return out;
  }
  return v;
}

/**
 * The readable form of a context: each number under a money name (`cash`, `lastPrice`,
 * `realizedPnl`, ...) becomes rupees, each epoch-ms number under a time name (`ts`, `lastTickAt`,
 * `restarts`, ...) an IST date-time; everything else is kept as it is. Contexts are plain data
 * (functions and class instances such as clocks are dropped by JSON first).
 */
export function readableContext(context: unknown): unknown {
  return readableValue('', plainOf(context), 0);
}

/** A context as JSON shows it: functions and non-serializable parts dropped. */
export function plainOf(context: unknown): unknown {
  if (context === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(context)) as unknown;
  } catch {
    return null;
  }
}
