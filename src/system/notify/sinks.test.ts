import { describe, expect, it } from 'vitest';
import type { Settings } from '../../config/index.js';
import { notificationText, type Notification } from './notification.js';
import { secretMask, sinksOf, slackSink, telegramSink, webhookSink } from './sinks.js';

const TOKEN = '123456789:AAFakeBotTokenForTests_xyz';
const SLACK = 'https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX';

const HALT: Notification = {
  kind: 'halt',
  severity: 'critical',
  broker: 'paper',
  reason: 'manual review',
  seq: 42,
  at: '2026-01-05T03:45:00.000Z',
  correlationId: '0195f0a0-0000-7000-8000-000000000000',
  instance: 'prod-1',
};

function notify(over: Partial<Settings['notify']> = {}): Settings['notify'] {
  return {
    telegram_api_url: 'https://api.telegram.org',
    attempts: 6,
    timeout_ms: 5000,
    max_queue: 1000,
    ...over,
  };
}

describe('sinks', () => {
  it('posts the notification itself to the generic webhook, named by its origin only', () => {
    const s = webhookSink('https://ops.example.com/hooks/abc?key=s3cret');
    expect(JSON.parse(s.body(HALT))).toEqual(HALT);
    expect(s.label).toBe('webhook https://ops.example.com');
    expect(s.url).toBe('https://ops.example.com/hooks/abc?key=s3cret');
  });

  it('posts one readable line to Slack, with the seq and the reason', () => {
    const s = slackSink(SLACK);
    const body = JSON.parse(s.body(HALT)) as { text: string };
    expect(Object.keys(body)).toEqual(['text']);
    expect(body.text).toBe(
      '[CRITICAL] trading halted (broker paper): manual review (seq 42, 2026-01-05T03:45:00.000Z, prod-1)',
    );
    expect(s.label).toBe('slack');
  });

  it("posts {chat_id, text} to Telegram's sendMessage of the bot", () => {
    const s = telegramSink('https://api.telegram.org/', TOKEN, '-1001234');
    expect(s.url).toBe(`https://api.telegram.org/bot${TOKEN}/sendMessage`);
    expect(JSON.parse(s.body(HALT))).toEqual({ chat_id: '-1001234', text: notificationText(HALT) });
    expect(s.label).toBe('telegram');
  });

  it('writes every fact of a dead-letter notification, and cuts a long reason to fit Telegram', () => {
    const text = notificationText({
      kind: 'dlq_growth',
      severity: 'warning',
      strategyId: 's1',
      actor: 'strategy:s1',
      topic: 'market.ticks.dlq',
      count: 4,
      reason: 'x'.repeat(10_000),
      seq: 7,
      at: '2026-01-05T03:45:00.000Z',
    });
    expect(text.length).toBeLessThanOrEqual(3500);
    expect(text).toMatch(
      /^\[WARNING\] dead letters growing \(strategy s1, actor strategy:s1, topic market\.ticks\.dlq\): x+… \(4 dead letters, seq 7, 2026-01-05T03:45:00\.000Z\)$/,
    );
  });

  it('builds the configured sinks, in order, and none when nothing is set', () => {
    expect(sinksOf(notify())).toEqual([]);
    // A bot without its chat is refused by the settings; here it just builds no sink.
    expect(sinksOf(notify({ telegram_bot_token: TOKEN }))).toEqual([]);
    const all = sinksOf(
      notify({
        webhook_url: 'http://127.0.0.1:9/x',
        slack_webhook_url: SLACK,
        telegram_bot_token: TOKEN,
        telegram_chat_id: '5',
      }),
    );
    expect(all.map((s) => s.label)).toEqual(['webhook http://127.0.0.1:9', 'slack', 'telegram']);
  });

  it('masks the Slack URL and the bot token, also URL-encoded, in any text', () => {
    const settings = notify({
      slack_webhook_url: SLACK,
      telegram_bot_token: TOKEN,
      telegram_chat_id: '5',
    });
    const mask = secretMask(settings, sinksOf(settings));
    const text = mask(
      `to ${SLACK} failed; bot ${TOKEN} and ${encodeURIComponent(TOKEN)} at https://api.telegram.org/bot${TOKEN}/sendMessage`,
    );
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(encodeURIComponent(TOKEN));
    expect(text).not.toContain('XXXXSECRETXXXX');
    expect(text).toBe('to <slack> failed; bot *** and *** at <telegram>');
  });
});
