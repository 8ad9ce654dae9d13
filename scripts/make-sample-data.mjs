// Writes the sample history of data/samples/: minute candles in Kite's historical CSV format for a
// few instruments of config/instruments.csv over the first NSE sessions of 2026 (config/calendar),
// a seeded random walk from each instrument's reference price. Same seed, same bytes.
// Usage: node scripts/make-sample-data.mjs [--seed N] [--out DIR]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? def : process.argv[i + 1];
};
const SEED = Number(arg('seed', '15'));
const OUT = arg('out', join(root, 'data', 'samples'));
const SYMBOLS = ['RELIANCE', 'TCS', 'ICICIBANK'];
const FIRST_DAY = '2026-01-05';
const SESSIONS = 10;
/** Per-minute volatility of the walk (a fraction of the price). */
const SIGMA = 0.0009;

/** mulberry32: a small seeded generator (the script's only randomness). */
function generator(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => {
    const u = Math.max(next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return { next, normal };
}

function instruments() {
  const lines = readFileSync(join(root, 'config', 'instruments.csv'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const header = lines[0].split(',');
  return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
}

/** The first `count` NSE sessions from `from`: weekdays that are not holidays. */
function sessions(from, count) {
  const cal = parse(readFileSync(join(root, 'config', 'calendar', 'NSE-2026.yaml'), 'utf8'));
  const holidays = new Set(
    cal.holidays.map((h) =>
      String(h.date instanceof Date ? h.date.toISOString().slice(0, 10) : h.date),
    ),
  );
  const [start, end] = [cal.sessions.regular.start, cal.sessions.regular.end];
  const days = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); days.length < count; t += 86_400_000) {
    const d = new Date(t);
    const iso = d.toISOString().slice(0, 10);
    if (d.getUTCDay() === 0 || d.getUTCDay() === 6 || holidays.has(iso)) continue;
    days.push(iso);
  }
  const minutes = (hhmm) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  return { days, open: minutes(start), close: minutes(end) };
}

const rupees = (paise) => String(Number((paise / 100).toFixed(2)));
const pad = (n) => String(n).padStart(2, '0');

function candles(inst, rand, cal) {
  const tick = Math.round(Number(inst.tick_size) * 100);
  const onTick = (p) => Math.max(tick, Math.round(p / tick) * tick);
  let price = Number(inst.ref_price) * 100;
  const rows = ['date,open,high,low,close,volume'];
  for (const day of cal.days) {
    price *= 1 + rand.normal() * SIGMA * 4; // the overnight gap
    for (let m = cal.open; m < cal.close; m++) {
      const open = onTick(price);
      let hi = open;
      let lo = open;
      for (let s = 0; s < 4; s++) {
        price *= 1 + rand.normal() * (SIGMA / 2);
        hi = Math.max(hi, onTick(price));
        lo = Math.min(lo, onTick(price));
      }
      const close = onTick(price);
      const busy = m - cal.open < 30 || cal.close - m <= 30 ? 2 : 1;
      const volume = Math.round(busy * (200 + 1800 * rand.next()) * (1 + Math.abs(rand.normal())));
      const date = `${day}T${pad(Math.floor(m / 60))}:${pad(m % 60)}:00+0530`;
      rows.push(`${date},${rupees(open)},${rupees(hi)},${rupees(lo)},${rupees(close)},${volume}`);
    }
  }
  return `${rows.join('\n')}\n`;
}

const all = instruments();
const cal = sessions(FIRST_DAY, SESSIONS);
mkdirSync(OUT, { recursive: true });
SYMBOLS.forEach((symbol, i) => {
  const inst = all.find((x) => x.tradingsymbol === symbol);
  if (!inst) throw new Error(`config/instruments.csv has no ${symbol}`);
  const rand = generator(SEED * 1000 + i);
  writeFileSync(join(OUT, `${symbol}.csv`), candles(inst, rand, cal));
});
process.stdout.write(`wrote ${SYMBOLS.length} files of ${cal.days.length} sessions to ${OUT}\n`);
