import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  faultyStrategy,
  RELIANCE,
  steadyAndFaulty,
} from '../../../test/helpers/faulty-strategy.js';
import { instruments, startTestSystem, type TestSystem } from '../../../test/helpers/system.js';
import { startWebhookSink, type WebhookSink } from '../../../test/helpers/webhook-sink.js';
import type { Settings } from '../../config/index.js';
import type { JournalRecord } from '../../model/index.js';
import { recordId } from '../../runtime/index.js';
import type { Notification } from './notification.js';
import { startNotifications, type Notifier, type NotifyOptions } from './start-notifications.js';

const START = Date.UTC(2026, 0, 5, 3, 45);
const WALL = Date.UTC(2026, 0, 5, 4, 0);
const TOKEN = '987654321:AAHfakeTelegramBotTokenForTests';

let t: TestSystem | undefined;
let notifier: Notifier | null = null;
const sinks: WebhookSink[] = [];
afterEach(async () => {
  notifier?.close();
  notifier = null;
  await t?.close();
  t = undefined;
  for (const s of sinks.splice(0)) await s.close();
});

async function sink(): Promise<WebhookSink> {
  const s = await startWebhookSink();
  sinks.push(s);
  return s;
}

function settings(over: Partial<Settings['notify']>): Settings['notify'] {
  return {
    telegram_api_url: 'https://api.telegram.org',
    attempts: 3,
    timeout_ms: 5000,
    max_queue: 1000,
    ...over,
  };
}

/** Log lines as written, unredacted: what this module logs is checked, not the logger's redaction. */
function capture() {
  const lines: string[] = [];
  return { log: pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) }), lines };
}

function options(over: Partial<NotifyOptions> & Pick<NotifyOptions, 'settings'>): NotifyOptions {
  return {
    log: pino({ level: 'silent' }),
    wallMs: () => WALL,
    sleep: () => Promise.resolve(),
    ...over,
  };
}

/** A system whose faulty strategy throws on every RELIANCE tick from its 101st on. */
async function faultySystem(limits = {}): Promise<TestSystem> {
  const idx = instruments().findIndex((i) => i.token === RELIANCE);
  return startTestSystem({
    strategies: steadyAndFaulty(START + 10 * (20 * 100 + idx + 1), true),
    extraStrategies: [faultyStrategy],
    clockStart: START,
    budget: { maxRestarts: 1, windowMs: 60_000 },
    limits,
  });
}

describe('startNotifications', () => {
  it('returns null and taps nothing when no sink is configured', async () => {
    t = await faultySystem();
    const tap = vi.spyOn(t.system.switchboard, 'tap');
    const f = vi.fn<typeof fetch>();
    expect(startNotifications(t.system, options({ settings: settings({}), fetch: f }))).toBeNull();
    expect(tap).not.toHaveBeenCalled();
    t.system.setTradingState('paper', 'HALTED', 'x');
    await new Promise((r) => setImmediate(r));
    expect(f).not.toHaveBeenCalled();
  });

  it('notifies each kind from the records a live system journals, with their seqs', async () => {
    t = await faultySystem({ dailyLossLimitPerStrategy: 1 });
    const hook = await sink();
    notifier = startNotifications(
      t.system,
      options({ settings: settings({ webhook_url: `${hook.origin}/hook` }), instance: 'test-1' }),
    );
    t.feed(10_000);
    const halt = t.system.setTradingState('paper', 'HALTED', 'operator review');
    const resume = t.system.setTradingState('paper', 'ACTIVE', 'review done');
    const kill = t.system.commands.kill('runaway orders');
    const expired = t.system.remote.record(
      {
        type: 'BrokerSessionChanged',
        broker: 'zerodha',
        state: 'EXPIRED',
        reason: 'token expired',
      },
      'session:zerodha',
    );
    await notifier!.drain(10_000);
    const got = hook.delivered().map((r) => r.body as Notification);
    const bySeq = new Map<number, JournalRecord>((await t.journal()).map((r) => [r.seq, r]));
    const of = (kind: string) => got.filter((n) => n.kind === kind);

    expect(of('halt')).toEqual([
      {
        kind: 'halt',
        severity: 'critical',
        broker: 'paper',
        reason: 'operator review',
        seq: halt,
        at: new Date(WALL).toISOString(),
        correlationId: recordId(t.system.meta, halt),
        instance: 'test-1',
      },
    ]);
    expect(of('resume')).toMatchObject([{ broker: 'paper', reason: 'review done', seq: resume }]);
    expect(of('kill_switch')).toMatchObject([{ reason: 'runaway orders', seq: kill }]);
    expect(of('session_expired')).toMatchObject([
      { broker: 'zerodha', reason: 'token expired', seq: expired },
    ]);

    const [fault] = of('fault');
    expect(of('fault')).toHaveLength(1);
    expect(fault).toMatchObject({ strategyId: 'faulty_one', actor: 'strategy:faulty_one' });
    expect(bySeq.get(fault!.seq)).toMatchObject({ type: 'ActorFaulted' });
    expect(fault!.reason).toContain('poison tick');

    const dead = of('dlq_growth');
    const deadLetters = [...bySeq.values()].filter((r) => r.type === 'DeadLettered');
    // Two dead letters: the first throw (restarted), the second (faulted); then ticks go undelivered.
    expect(deadLetters.length).toBeGreaterThanOrEqual(2);
    expect(dead.map((n) => n.count)).toEqual(
      [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].filter((c) => c <= deadLetters.length),
    );
    for (const n of dead) expect(n.seq).toBe(deadLetters[n.count! - 1]!.seq);

    const [loss] = of('loss_limit');
    expect(loss).toMatchObject({ broker: 'paper', strategyId: 'steady_ema', severity: 'warning' });
    expect(loss!.reason).toMatch(/^loss limit dailyLossLimitPerStrategy: strategy steady_ema lost/);
    expect(bySeq.get(loss!.seq)).toMatchObject({ type: 'TradingStateChanged' });
    // Nothing else (the kill switch's halt is announced by the kill switch alone: one halt above).
    const kinds = ['halt', 'resume', 'kill_switch', 'session_expired', 'fault', 'dlq_growth'];
    expect(got).toHaveLength([...kinds, 'loss_limit'].reduce((n, k) => n + of(k).length, 0));
  });

  it('never blocks the tap: a hanging sink holds its own queue while the others get theirs', async () => {
    t = await faultySystem();
    const hung = await sink();
    hung.hang(true);
    const slack = await sink();
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls++;
      return fetch(input, init);
    };
    notifier = startNotifications(
      t.system,
      options({
        settings: settings({
          webhook_url: `${hung.origin}/hook`,
          slack_webhook_url: `${slack.origin}/services/T000/B000/XXXX`,
        }),
        fetch: counting,
      }),
    );
    const seqs: number[] = [];
    for (const [state, reason] of [
      ['HALTED', 'first'],
      ['ACTIVE', 'back'],
      ['HALTED', 'second'],
    ] as const) {
      seqs.push(t.system.setTradingState('paper', state, reason));
      // The tap only queued: no request has even started.
      expect(calls).toBe(0);
    }
    const texts = await slack.waitFor(
      (rs) => (rs.length === 3 ? rs.map((r) => (r.body as { text: string }).text) : undefined),
      10_000,
      'three Slack messages',
    );
    expect(texts.map((x) => /\(seq (\d+),/.exec(x)![1])).toEqual(seqs.map(String));
    expect(hung.requests).toHaveLength(1);
    // A drain gives up at its bound while the sink still hangs.
    await notifier!.drain(50);
    expect(hung.requests).toHaveLength(1);
  });

  it('puts no secret in any log line or notification', async () => {
    t = await faultySystem();
    const telegram = await sink();
    const slackDown = await startWebhookSink();
    const slackUrl = `${slackDown.origin}/services/T000/B000/SLACKSECRETPATH`;
    await slackDown.close(); // refuses connections
    telegram.failNext(1, 500);
    telegram.failNext(1, 400);
    const { log, lines } = capture();
    notifier = startNotifications(
      t.system,
      options({
        settings: settings({
          slack_webhook_url: slackUrl,
          telegram_bot_token: TOKEN,
          telegram_chat_id: '-10042',
          telegram_api_url: telegram.origin,
          attempts: 2,
        }),
        log,
      }),
    );
    t.system.setTradingState('paper', 'HALTED', `bot ${TOKEN} leaked into a reason`);
    t.system.setTradingState('paper', 'ACTIVE', 'back');
    const last = t.system.setTradingState('paper', 'HALTED', `again, via ${slackUrl}`);
    await notifier!.drain(10_000);

    // The first halt: 500, then 400 (refused, not retried); the resume and the second halt: 200.
    expect(telegram.requests.map((r) => r.status)).toEqual([500, 400, 200, 200]);
    expect(telegram.requests.every((r) => r.path === `/bot${TOKEN}/sendMessage`)).toBe(true);
    const sent = telegram.delivered().map((r) => r.body as { chat_id: string; text: string });
    expect(sent[1]!.chat_id).toBe('-10042');
    expect(sent[1]!.text).toContain(`again, via <slack> (seq ${last},`);
    expect(JSON.stringify(telegram.requests[0]!.body)).toContain('bot *** leaked');
    for (const r of telegram.requests) {
      expect(JSON.stringify(r.body)).not.toContain(TOKEN);
      expect(JSON.stringify(r.body)).not.toContain('SLACKSECRETPATH');
    }

    expect(lines.length).toBeGreaterThan(5);
    const all = lines.join('');
    expect(all).toContain('"sink":"telegram"');
    expect(all).toContain('"sink":"slack"');
    expect(all).toContain('ECONNREFUSED');
    for (const secret of [TOKEN, encodeURIComponent(TOKEN), 'SLACKSECRETPATH', slackUrl])
      expect(all).not.toContain(secret);
  });
});
