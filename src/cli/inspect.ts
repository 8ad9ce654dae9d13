/**
 * `inspect`: serves the actor inspector's API (and page) read-only over a stopped daemon's LMDB
 * journal, for post-mortems: the actors as of the last durable seq, time travel and chains. No
 * feed, no trading; there are no write routes (a write answers 404). Reads follow the daemon's
 * auth settings (API__READS=open on a loopback HOST opens them).
 */
import { apiAuth, createApp, listen } from '../api/index.js';
import { loadUsersFile } from '../config/index.js';
import { ConfigError, SystemClock } from '../runtime/index.js';
import { openPostMortem } from '../system/index.js';
import { expectOnly, parseArgs, stringOption } from './args.js';
import type { Command } from './command.js';
import { API_LIMITS, HTTP, JOURNAL_READ, LOGGING } from './env.js';

function portOf(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d{1,5}$/.test(text) || n > 65535)
    throw new ConfigError(
      `--port: received ${JSON.stringify(text)}; expected a port number from 0 to 65535`,
    );
  return n;
}

export const inspect: Command = {
  name: 'inspect',
  summary: "serves the actor inspector read-only over a stopped daemon's journal (post-mortem)",
  options: [
    { name: 'data-dir', value: 'D', default: 'DATA_DIR', help: "the stopped daemon's DATA_DIR" },
    { name: 'port', value: 'P', default: 'PORT', help: 'where the inspector API listens' },
  ],
  env: [...LOGGING, ...HTTP, ...JOURNAL_READ, 'CONFIG_DIR', ...API_LIMITS],
  logTo: 'stdout',
  async run({ settings, log }, argv) {
    const args = parseArgs(argv);
    expectOnly(args, this);
    const port = portOf(stringOption(args, 'port'), settings.port);
    const pm = await openPostMortem(settings, stringOption(args, 'data-dir'));
    try {
      const clock = new SystemClock();
      const auth = await apiAuth(
        settings.api,
        { fileUsers: loadUsersFile(settings.config_dir) },
        () => clock.now(),
        log,
      );
      const app = createApp({
        portfolios: { list: () => [], get: () => undefined },
        readiness: [],
        inspector: pm.inspector,
        auth,
        log,
        host: settings.host,
        maxBodyBytes: settings.api.max_body_bytes,
      });
      const server = await listen(app, settings.host, port);
      log.info(
        { port: server.port, host: settings.host, lastSeq: pm.lastSeq },
        'alpha panda inspect started',
      );
      const why = await new Promise<string>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      log.info({ signal: why }, 'alpha panda inspect stopping');
      await server.close();
    } finally {
      await pm.close();
    }
    return 0;
  },
};
