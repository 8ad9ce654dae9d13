/**
 * `dlq list --topic T` and `dlq replay --topic T [--dry-run] [--limit N]`: clients of the running
 * daemon's DLQ routes (api/dlq-routes.ts). Re-delivery needs the daemon (it delivers to its
 * actors and journals the re-delivery), so both ask it rather than open the journal themselves.
 * `--api URL` names the daemon; by default http://HOST:PORT from the settings. `dlq list
 * --offline [--data-dir D]` reads the journal itself instead (LMDB of a stopped daemon, or Kafka
 * read-only).
 */
import type { Logger } from 'pino';
import type { Settings } from '../config/index.js';
import {
  dlqTopicOf,
  pendingDeadLetters,
  redeliverDeadLetter,
  type TradingSystem,
} from '../actors/index.js';
import type { DlqService, RedeliveryView } from '../api/dlq-routes.js';
import { CONTROL_COMMANDS } from '../model/index.js';
import { ConfigError } from '../runtime/errors.js';
import type { LogTransport } from '../runtime/transport.js';
import { topicTable } from '../runtime/transports/kafka-topics.js';
import { expectOnly, intOption, parseArgs, stringOption, type ParsedArgs } from './args.js';
import { openJournalToRead } from './stores.js';

/** The daemon's side: pending dead letters read from the journal, re-delivered one by one. */
export function daemonDlq(system: TradingSystem, transport: LogTransport, log: Logger): DlqService {
  const names = topicTable()
    .map((t) => t.name)
    .filter((n) => n.endsWith('.dlq'));
  const pending = async (dlq: string) => {
    await system.bridge.flush();
    const through = system.bridge.durableSeq;
    if (through === 0) return [];
    return pendingDeadLetters(
      transport.read(1, { untilSeq: through, topics: [dlq, CONTROL_COMMANDS] }),
      dlq,
    );
  };
  // One re-delivery run at a time, so two operators never deliver the same dead letter twice.
  let queue: Promise<unknown> = Promise.resolve();
  const redeliver = async (dlq: string, limit: number): Promise<RedeliveryView[]> => {
    const out: RedeliveryView[] = [];
    for (const d of (await pending(dlq)).slice(0, limit)) {
      const r = redeliverDeadLetter(system, d, 'operator:dlq');
      const view: RedeliveryView = r.ok
        ? {
            deadLetterSeq: d.seq,
            actorId: d.actorId,
            outcome: r.deadLettered === 0 ? 'delivered' : 'failed',
            seq: r.seq,
          }
        : { deadLetterSeq: d.seq, actorId: d.actorId, outcome: 'refused', error: r.error };
      log[view.outcome === 'delivered' ? 'info' : 'warn'](
        { ...view, topic: dlq },
        'dead letter re-delivered',
      );
      out.push(view);
    }
    return out;
  };
  return {
    topics: names,
    pending,
    redeliver: (dlq, limit) => {
      const run = queue.then(() => redeliver(dlq, limit));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

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
      `dlq: the daemon refused (${res.status} ${body?.error?.code ?? ''}): ${body?.error?.message ?? res.statusText}`,
    );
  return body;
}

export async function dlqCommand(settings: Settings, argv: readonly string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'list' && sub !== 'replay')
    throw new ConfigError(
      `dlq: unknown subcommand ${JSON.stringify(sub ?? '')}; use \`dlq list --topic T\` or \`dlq replay --topic T [--dry-run] [--limit N]\``,
    );
  const args = parseArgs(rest);
  expectOnly(
    args,
    `dlq ${sub}`,
    sub === 'list'
      ? ['topic', 'limit', 'api', 'offline', 'data-dir']
      : ['topic', 'dry-run', 'limit', 'api'],
  );
  const topic = stringOption(args, 'topic');
  if (topic === undefined || topic === 'true')
    throw new ConfigError(
      `dlq ${sub}: --topic is required (a topic such as market.ticks, or its .dlq)`,
    );
  const limit = args.options.limit
    ? intOption(args, 'limit', undefined, 1, Number.MAX_SAFE_INTEGER)
    : undefined;
  const dry = stringOption(args, 'dry-run');
  if (dry !== undefined && dry !== 'true' && dry !== 'false')
    throw new ConfigError(`dlq replay: --dry-run takes no value, received ${JSON.stringify(dry)}`);
  if (sub === 'list' && (args.options.offline || args.options['data-dir'])) {
    process.stdout.write(
      `${JSON.stringify(await listOffline(settings, args, topic, limit), null, 2)}\n`,
    );
    return;
  }
  const host = settings.host === '0.0.0.0' ? '127.0.0.1' : settings.host;
  const base = (stringOption(args, 'api') ?? `http://${host}:${settings.port}`).replace(/\/+$/, '');
  const path = `${base}/api/v1/dlq/${encodeURIComponent(dlqTopicOf(topic))}`;
  const result =
    sub === 'list'
      ? await call(limit === undefined ? path : `${path}?limit=${limit}`)
      : await call(`${path}/replay`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            dryRun: dry === 'true',
            ...(limit === undefined ? {} : { limit }),
          }),
        });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

/** `dlq list --offline`: the same answer, read from the journal itself (no daemon needed). */
async function listOffline(
  settings: Settings,
  args: ParsedArgs,
  topic: string,
  limit: number | undefined,
): Promise<unknown> {
  const dlq = dlqTopicOf(topic);
  if (!topicTable().some((t) => t.name === dlq))
    throw new ConfigError(
      `dlq list: no DLQ topic ${JSON.stringify(dlq)}; topics such as market.ticks or paper.signals.raw have one`,
    );
  const transport = await openJournalToRead(settings, stringOption(args, 'data-dir'), 'dlq list');
  try {
    const through = transport.lastSeq();
    const all =
      through === 0
        ? []
        : await pendingDeadLetters(
            transport.read(1, { untilSeq: through, topics: [dlq, CONTROL_COMMANDS] }),
            dlq,
          );
    return { topic: dlq, pending: all.length, deadLetters: all.slice(0, limit ?? all.length) };
  } finally {
    await transport.close();
  }
}
