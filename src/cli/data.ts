/** `data fetch`: downloads Kite historical candles of one instrument as a CSV `backtest --data` reads. */
import { ConfigError, SystemClock } from '../runtime/index.js';
import { dataFetch } from '../system/index.js';
import { expectOnly, parseArgs, stringOption } from './args.js';
import type { Command } from './command.js';
import { LOGGING } from './env.js';

const clock = new SystemClock();

export const dataFetchCommand: Command = {
  name: 'data fetch',
  summary:
    "downloads Kite historical candles (3 requests/s, chunked by Kite's per-interval day limits, cached under DATA_DIR/history) as Kite CSV",
  options: [
    {
      name: 'instrument',
      value: 'T',
      required: true,
      help: 'token or trading symbol (CONFIG_DIR instruments)',
    },
    {
      name: 'interval',
      value: 'INTERVAL',
      required: true,
      help: 'minute, 3minute, 5minute, 10minute, 15minute, 30minute, 60minute or day',
    },
    { name: 'from', value: 'DATE', required: true, help: 'first day (IST) or time' },
    { name: 'until', value: 'DATE', required: true, help: 'last day (IST, included) or time' },
    {
      name: 'out',
      value: 'DIR|FILE.csv',
      default: 'DATA_DIR/history',
      help: 'where <token>-<interval>.csv goes (or the file itself)',
    },
    { name: 'continuous', help: "continuous futures data (Kite's continuous=1)" },
    { name: 'oi', help: 'adds the oi column' },
  ],
  env: [
    ...LOGGING,
    'CONFIG_DIR',
    'DATA_DIR',
    'ZERODHA__API_KEY',
    'ZERODHA__SESSION_KEY',
    'ZERODHA__API_URL',
    'ZERODHA__TIMEOUT_MS',
  ],
  logTo: 'stderr',
  async run({ settings, log }, argv) {
    const args = parseArgs(argv);
    expectOnly(args, this);
    const need = (name: string): string => {
      const v = stringOption(args, name);
      if (v === undefined) throw new ConfigError(`--${name} is required`);
      return v;
    };
    const result = await dataFetch(settings, {
      instrument: need('instrument'),
      interval: need('interval'),
      from: need('from'),
      until: need('until'),
      out: stringOption(args, 'out'),
      continuous: args.options['continuous'] !== undefined,
      oi: args.options['oi'] !== undefined,
      clock: {
        now: () => clock.now(),
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      },
      onRequest: (r) => log.info({ from: r.from, to: r.to }, 'Kite historical request'),
    });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  },
};
