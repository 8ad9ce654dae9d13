/**
 * Notifications of a live system: the switchboard's tap turns each record that calls for one
 * into a notification and queues it for every configured sink; senders deliver them in the
 * background, so no actor ever waits on a webhook.
 */
import type { Logger } from 'pino';
import type { Settings } from '../../config/index.js';
import type { JournalRecord } from '../../model/index.js';
import { recordId } from '../../runtime/index.js';
import { redactText } from '../log-redaction.js';
import type { TradingSystem } from '../trading-system.js';
import type { Notification, NotificationDraft } from './notification.js';
import { RecordNotifications } from './record-notifications.js';
import { SinkSender } from './sink-sender.js';
import { secretMask, sinksOf } from './sinks.js';

export interface Notifier {
  /** Queues a notification the journal's records do not give (a start that finds trading halted). */
  send(draft: NotificationDraft, correlationSeq?: number): void;
  /** Waits for queued notifications to be sent or given up, at most `ms`. */
  drain(ms: number): Promise<void>;
  close(): void;
}

export interface NotifyOptions {
  readonly settings: Settings['notify'];
  readonly log: Logger;
  /** Wall clock ms for the notification's time. */
  readonly wallMs: () => number;
  /** Injected for tests: the fetch used, and the timer used for backoff (default setTimeout). */
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Extra figure for the message: the daemon's name/host, optional. */
  readonly instance?: string;
}

/** A wait that does not keep the process alive. */
function unrefSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Starts notifying of what the system journals from now on (what recovery replayed is not seen:
 * call it once the system is open). Returns null when no sink is configured: nothing is tapped.
 */
export function startNotifications(system: TradingSystem, opts: NotifyOptions): Notifier | null {
  const s = opts.settings;
  const sinks = sinksOf(s);
  if (sinks.length === 0) return null;
  const mask = secretMask(s, sinks);
  const senders = sinks.map(
    (sink) =>
      new SinkSender(sink, {
        attempts: s.attempts,
        timeoutMs: s.timeout_ms,
        maxQueue: s.max_queue,
        fetch: opts.fetch ?? fetch,
        sleep: opts.sleep ?? unrefSleep,
        wallMs: opts.wallMs,
        log: opts.log,
        mask,
      }),
  );
  const rules = new RecordNotifications();
  const instance = opts.instance === undefined ? {} : { instance: opts.instance };
  const send = (draft: NotificationDraft, correlationSeq: number) => {
    const n: Notification = {
      ...draft,
      // A reason is free text (an error message): no secret leaves the process in it.
      reason: mask(redactText(draft.reason)),
      at: new Date(opts.wallMs()).toISOString(),
      ...(correlationSeq > 0 ? { correlationId: recordId(system.meta, correlationSeq) } : {}),
      ...instance,
    };
    for (const sender of senders) sender.enqueue(n);
  };
  system.switchboard.tap((rec: JournalRecord) => {
    const draft = rules.of(rec);
    if (draft !== null) send(draft, rec.correlationSeq);
  });
  opts.log.info(
    { sinks: sinks.map((k) => k.label), attempts: s.attempts, timeoutMs: s.timeout_ms },
    'notifications on',
  );
  return {
    send: (draft, correlationSeq = 0) => send(draft, correlationSeq),
    async drain(ms) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
      await Promise.race([Promise.all(senders.map((x) => x.idle())), late]);
      clearTimeout(timer);
    },
    close() {
      for (const sender of senders) sender.close();
    },
  };
}
