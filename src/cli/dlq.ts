/**
 * `dlq list --topic T` and `dlq replay --topic T [--dry-run] [--limit N]`: clients of the running
 * daemon's DLQ routes (api/routes/dlq.ts). Re-delivery needs the daemon (it delivers to its
 * actors and journals the re-delivery), so both ask it rather than open the journal themselves.
 * `--api URL` names the daemon; by default http://HOST:PORT from the settings. `dlq list
 * --offline [--data-dir D]` reads the journal itself instead (LMDB of a stopped daemon, or Kafka
 * read-only).
 */
import type { Settings } from '../config/index.js';
import type { Command, OptionSpec } from './command.js';
import { ConfigError } from '../runtime/index.js';
import { dlqTopicOf, pendingOffline } from '../system/index.js';
import { expectOnly, intOption, parseArgs, stringOption, type ParsedArgs } from './args.js';
import { HTTP, JOURNAL_READ, LOGGING } from './env.js';
import { apiBase, authHeaders, LOGIN_ENV } from './api-client.js';

async function call(url: string, init?: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? String(err);
    throw new ConfigError(
      `dlq: no daemon answers at ${new URL(url).origin} (${cause}); dlq talks to the running daemon: start it (npm start) or pass --api http://host:port`,
    );
  }
  const body = (await res.json().catch(() => null)) as {
    error?: { code: string; message: string };
  } | null;
  if (!res.ok)
    throw new ConfigError(
      `dlq: the daemon refused (${res.status} ${body?.error?.code ?? ''}): ${body?.error?.message ?? res.statusText}${res.status === 401 ? '; dlq logs in as API__ADMIN_USERNAME with API__ADMIN_PASSWORD: set them as the daemon has them' : ''}`,
    );
  return body;
}

/** The options both share: the topic, how many, and the daemon to ask. */
function common(args: ParsedArgs, command: string): { topic: string; limit: number | undefined } {
  const topic = stringOption(args, 'topic');
  if (topic === undefined || topic === 'true')
    throw new ConfigError(
      `${command}: --topic is required (a topic such as market.ticks, or its .dlq)`,
    );
  const limit = args.options.limit
    ? intOption(args, 'limit', undefined, 1, Number.MAX_SAFE_INTEGER)
    : undefined;
  return { topic, limit };
}

/** The daemon: --api, else http://HOST:PORT. */
function baseOf(settings: Settings, args: ParsedArgs): string {
  return apiBase(settings, stringOption(args, 'api'));
}

/** The daemon's DLQ route of `topic`. */
function routeOf(settings: Settings, args: ParsedArgs, topic: string): string {
  return `${baseOf(settings, args)}/api/v1/dlq/${encodeURIComponent(dlqTopicOf(topic))}`;
}

const LOGIN = LOGIN_ENV;

const TOPIC: OptionSpec = {
  name: 'topic',
  value: 'T',
  required: true,
  help: 'the topic (market.ticks, paper.signals.raw, ...) or its .dlq',
};
const API: OptionSpec = {
  name: 'api',
  value: 'URL',
  default: 'http://HOST:PORT',
  help: 'the running daemon to ask',
};

export const dlqList: Command = {
  name: 'dlq list',
  summary: "lists a DLQ topic's pending dead letters, oldest first",
  options: [
    TOPIC,
    { name: 'limit', value: 'N', default: 'all', help: 'at most N dead letters' },
    API,
    { name: 'offline', help: 'read the journal itself instead of asking the daemon' },
    {
      name: 'data-dir',
      value: 'D',
      default: 'DATA_DIR',
      help: 'with --offline: the LMDB journal of a stopped daemon',
    },
  ],
  env: [...LOGGING, ...HTTP, ...LOGIN, ...JOURNAL_READ],
  logTo: 'stderr',
  async run({ settings }, argv) {
    const args = parseArgs(argv);
    expectOnly(args, this);
    const { topic, limit } = common(args, this.name);
    const result =
      args.options.offline || args.options['data-dir']
        ? await pendingOffline(settings, stringOption(args, 'data-dir'), topic, limit)
        : await call(
            limit === undefined
              ? routeOf(settings, args, topic)
              : `${routeOf(settings, args, topic)}?limit=${limit}`,
            { headers: await authHeaders(settings, baseOf(settings, args), 'dlq') },
          );
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  },
};

export const dlqReplay: Command = {
  name: 'dlq replay',
  summary: 're-delivers pending dead letters to the actors that failed on them, one by one',
  options: [
    TOPIC,
    { name: 'dry-run', help: 'list what would be re-delivered; send nothing' },
    { name: 'limit', value: 'N', default: 'all', help: 'the oldest N only' },
    API,
  ],
  env: [...LOGGING, ...HTTP, ...LOGIN],
  logTo: 'stderr',
  async run({ settings }, argv) {
    const args = parseArgs(argv);
    expectOnly(args, this);
    const { topic, limit } = common(args, this.name);
    const dry = stringOption(args, 'dry-run');
    if (dry !== undefined && dry !== 'true' && dry !== 'false')
      throw new ConfigError(
        `dlq replay: --dry-run takes no value, received ${JSON.stringify(dry)}`,
      );
    const result = await call(`${routeOf(settings, args, topic)}/replay`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await authHeaders(settings, baseOf(settings, args), 'dlq')),
      },
      body: JSON.stringify({ dryRun: dry === 'true', ...(limit === undefined ? {} : { limit }) }),
    });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  },
};
