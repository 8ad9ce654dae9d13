/**
 * Notifications from the daemon (acceptance): with NOTIFY__WEBHOOK_URL on a loopback sink, a
 * strategy's fault and an operator's halt reach the sink within one second, each with its reason
 * and the seq of its journal record (for the halt, the seq the API answered).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Notification } from '../../src/system/index.js';
import { logLine, startDaemon, started, until, type Daemon } from '../helpers/daemon.js';
import { tempConfigDir } from '../helpers/system.js';
import { startWebhookSink, type WebhookSink } from '../helpers/webhook-sink.js';

const RELIANCE = 738561;
const PASSWORD = 'notify-acceptance-password';

/** A momentum strategy whose lookback cannot be allocated throws on its first tick. */
const STRATEGIES = `strategies:
  - id: poisoned
    type: momentum
    brokers: [paper]
    instruments: [${RELIANCE}]
    parameters: { lookback_periods: ${2 ** 32}, threshold: 0.001, position_size: 5 }
  - id: healthy
    type: ema_cross
    brokers: [paper]
    instruments: [${RELIANCE}, 2953217]
    parameters: { fast_period: 3, slow_period: 8, bar_ticks: 3, quantity: 10 }
`;

let daemon: Daemon | undefined;
let sink: WebhookSink | undefined;
let config: { path: string; remove: () => void } | undefined;
afterEach(async () => {
  daemon?.remove();
  daemon = undefined;
  await sink?.close();
  sink = undefined;
  config?.remove();
  config = undefined;
});

/** Headers of a write: a bearer token when the API has logins, none while it has not. */
async function writeHeaders(port: number): Promise<Record<string, string>> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  const json = { 'content-type': 'application/json' };
  expect(res.status, await res.clone().text()).toBe(200);
  const { token } = (await res.json()) as { token: string };
  return { ...json, authorization: `Bearer ${token}` };
}

describe('notifications (daemon)', () => {
  it('pushes a strategy fault and an operator halt to the webhook within a second, with reason and seq', async () => {
    sink = await startWebhookSink();
    config = tempConfigDir(STRATEGIES, 'ap-notify-config-');
    daemon = await startDaemon({
      CONFIG_DIR: config.path,
      FEED__SEED: '5',
      FEED__TICKS_PER_SECOND: '200',
      FEED__MAX_TICKS: '400',
      SUPERVISOR__MAX_RESTARTS: '0',
      NOTIFY__WEBHOOK_URL: `${sink.origin}/alpha-panda/notify`,
      API__ADMIN_PASSWORD: PASSWORD,
      API__JWT_SECRET: 'notify-acceptance-jwt-secret-0123456789abcdef',
    });
    const d = daemon;
    await started(d);
    const notifications = () => sink!.delivered().map((r) => ({ r, n: r.body as Notification }));

    // (b) The fault: the record's seq and error from the daemon's trading log.
    const faulted = await until(
      () => Promise.resolve(logLine(d, 'actor faulted')),
      30_000,
      'the poisoned strategy to fault',
    );
    expect(faulted['actor']).toBe('strategy:poisoned');
    const faultSeq = faulted['seq'] as number;
    const fault = await sink.waitFor(
      () => notifications().find(({ n }) => n.kind === 'fault'),
      (faulted['time'] as number) + 1000 - Date.now(),
      'the fault notification',
    );
    expect(fault.n).toMatchObject({
      kind: 'fault',
      severity: 'critical',
      strategyId: 'poisoned',
      actor: 'strategy:poisoned',
      seq: faultSeq,
      reason: faulted['error'],
    });
    expect(fault.n.reason).toContain('Invalid array length');
    expect(fault.r.receivedMs - (faulted['time'] as number)).toBeLessThanOrEqual(1000);
    expect(fault.r.path).toBe('/alpha-panda/notify');

    // (a) The halt: the seq the API answered.
    const reason = 'acceptance: halt for review';
    const res = await fetch(`http://127.0.0.1:${d.port}/api/v1/brokers/paper/halt`, {
      method: 'POST',
      headers: await writeHeaders(d.port),
      body: JSON.stringify({ reason }),
    });
    const answeredMs = Date.now();
    expect(res.status, await res.clone().text()).toBe(200);
    const { seq } = (await res.json()) as { seq: number };
    const halt = await sink.waitFor(
      () => notifications().find(({ n }) => n.kind === 'halt'),
      1000,
      'the halt notification',
    );
    expect(halt.n).toMatchObject({ kind: 'halt', broker: 'paper', reason, seq });
    expect(halt.r.receivedMs - answeredMs).toBeLessThanOrEqual(1000);
    expect(Date.parse(halt.n.at)).not.toBeNaN();

    d.child.kill('SIGTERM');
    expect((await d.exited).code).toBe(0);

    // A restart finds the halt in the journal and trading still halted: the operator hears of it,
    // and of the strategy that did not start.
    const before = sink.delivered().length;
    daemon = await startDaemon(
      {
        CONFIG_DIR: config.path,
        FEED__SOURCE: 'none',
        SUPERVISOR__MAX_RESTARTS: '0',
        NOTIFY__WEBHOOK_URL: `${sink.origin}/alpha-panda/notify`,
        API__ADMIN_PASSWORD: PASSWORD,
      },
      { dataDir: d.dataDir },
    );
    await started(daemon);
    const restarted = await sink.waitFor(
      () =>
        sink!
          .delivered()
          .slice(before)
          .map((r) => r.body as Notification)
          .find((n) => n.kind === 'halt'),
      5000,
      'the halted-at-start notification',
    );
    expect(restarted).toMatchObject({ kind: 'halt', severity: 'critical', broker: 'paper' });
    expect(restarted.reason).toContain(`the daemon started with paper HALTED: ${reason}`);
    daemon.child.kill('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
    d.remove();
  });
});
