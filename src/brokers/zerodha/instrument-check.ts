/**
 * Our instruments checked against Kite's instrument dump (`GET /instruments/:exchange`, refreshed
 * by Kite every morning). The ticker subscribes by token and orders name the trading symbol: if
 * config/instruments.csv (or Postgres) maps a token to another symbol than Kite does today, or
 * its tick or lot size is not Kite's, an order would go to the wrong scrip or be refused. The
 * dump is fetched once per IST day and cached in `DATA_DIR/kite-instruments/`.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Instrument } from '../../model/index.js';
import { parseKiteInstruments, type KiteInstrument } from './symbols.js';

/** How our instruments differ from Kite's dump: one line each, empty when they agree. */
export function instrumentMismatches(
  ours: readonly Instrument[],
  kite: readonly KiteInstrument[],
): string[] {
  const byToken = new Map(kite.map((k) => [k.token as number, k]));
  const out: string[] = [];
  for (const i of ours) {
    const k = byToken.get(i.token);
    const name = `${i.exchange}:${i.symbol} (token ${i.token})`;
    if (k === undefined) {
      out.push(`${name} is not in Kite's ${i.exchange} instrument dump`);
      continue;
    }
    if (k.tradingSymbol !== i.symbol || k.exchange !== i.exchange)
      out.push(`${name} is ${k.exchange}:${k.tradingSymbol} at Kite`);
    if (i.isIndex) continue;
    if (k.tickSize !== i.tickSize)
      out.push(`${name} has tick size ${i.tickSize} paise, Kite ${k.tickSize}`);
    if (k.lotSize !== i.lotSize) out.push(`${name} has lot size ${i.lotSize}, Kite ${k.lotSize}`);
  }
  return out;
}

/** Today's dump of `exchange`: the cached file of `day`, else fetched (and cached). */
export async function dumpOfDay(
  dir: string,
  exchange: string,
  day: string,
  fetch: (exchange: string) => Promise<string>,
): Promise<KiteInstrument[]> {
  const file = join(dir, `${exchange}-${day}.csv`);
  if (existsSync(file)) return parseKiteInstruments(readFileSync(file, 'utf8'), file);
  const csv = await fetch(exchange);
  const parsed = parseKiteInstruments(csv, `Kite's ${exchange} instrument dump`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${file}.tmp`, csv);
  renameSync(`${file}.tmp`, file);
  return parsed;
}
