/**
 * The notification sinks (NOTIFY__*): a generic webhook that gets the notification as JSON, a
 * Slack incoming webhook and a Telegram bot that get its one-line text. A Slack webhook URL and a
 * Telegram bot token are secrets: a sink is named by its kind (and a webhook by its origin only).
 */
import type { Settings } from '../../config/index.js';
import { notificationText, type Notification } from './notification.js';

export type SinkKind = 'webhook' | 'slack' | 'telegram';

export interface Sink {
  readonly kind: SinkKind;
  /** How logs name it: `slack`, `telegram`, `webhook https://ops.example.com`; never its URL. */
  readonly label: string;
  /** Where it is POSTed (a secret for Slack and Telegram). */
  readonly url: string;
  /** The request's JSON body. */
  body(n: Notification): string;
}

/** The origin of a URL, or `webhook` when it has none. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'webhook';
  }
}

/** The generic webhook: the notification itself as JSON. */
export function webhookSink(url: string): Sink {
  return {
    kind: 'webhook',
    label: `webhook ${originOf(url)}`,
    url,
    body: (n) => JSON.stringify(n),
  };
}

/** A Slack incoming webhook: `{"text": ...}` with the notification's line. */
export function slackSink(url: string): Sink {
  return {
    kind: 'slack',
    label: 'slack',
    url,
    body: (n) => JSON.stringify({ text: notificationText(n) }),
  };
}

/** Telegram's Bot API: `POST {api}/bot{token}/sendMessage` with `{chat_id, text}` (plain text). */
export function telegramSink(api: string, token: string, chatId: string): Sink {
  return {
    kind: 'telegram',
    label: 'telegram',
    url: `${api.replace(/\/+$/, '')}/bot${token}/sendMessage`,
    body: (n) => JSON.stringify({ chat_id: chatId, text: notificationText(n) }),
  };
}

/** The sinks the settings configure, in a fixed order (webhook, slack, telegram); may be none. */
export function sinksOf(s: Settings['notify']): Sink[] {
  const out: Sink[] = [];
  if (s.webhook_url !== undefined) out.push(webhookSink(s.webhook_url));
  if (s.slack_webhook_url !== undefined) out.push(slackSink(s.slack_webhook_url));
  if (s.telegram_bot_token !== undefined && s.telegram_chat_id !== undefined)
    out.push(telegramSink(s.telegram_api_url, s.telegram_bot_token, s.telegram_chat_id));
  return out;
}

/**
 * Returns a function that masks the settings' secrets in a text (an error message that quotes a
 * URL, a reason that quotes a token): the sinks' URLs, the bot token, also URL-encoded.
 */
export function secretMask(
  s: Settings['notify'],
  sinks: readonly Sink[],
): (text: string) => string {
  const raw = [
    ...sinks.map((k) => k.url),
    s.webhook_url,
    s.slack_webhook_url,
    s.telegram_bot_token,
  ].filter((x): x is string => x !== undefined && x.length >= 4);
  const secrets = [...new Set(raw.flatMap((x) => [x, encodeURIComponent(x)]))].sort(
    (a, b) => b.length - a.length,
  );
  const labels = new Map<string, string>(sinks.map((k) => [k.url, `<${k.label}>`]));
  return (text) => {
    let out = text;
    for (const secret of secrets)
      if (out.includes(secret)) out = out.split(secret).join(labels.get(secret) ?? '***');
    return out;
  };
}
