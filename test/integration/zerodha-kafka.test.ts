/**
 * The daemon on both brokers with its journal on Kafka, against a fake Kite server: kcat shows
 * every zerodha order journaled with our client order id (the tag Kite got) and the market
 * protection of its MARKET orders; `replay` of the Kafka journal reproduces the run's
 * fingerprint with zero divergences.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayResult } from '../../src/system/index.js';
import { entropySeed } from '../../src/runtime/index.js';
import { until } from '../helpers/daemon.js';
import { infraUrl } from '../helpers/infra.js';
import { KiteDaemon } from '../helpers/kite-daemon.js';
import { ROOT } from '../helpers/system.js';

const brokers = infraUrl('KAFKA_BROKERS');
const prefix = `zk-${entropySeed().toString(36)}.`;
let k: KiteDaemon;

beforeAll(async () => {
  k = await KiteDaemon.start({
    TRADING__ZERODHA__ENABLED: 'true',
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: prefix,
  });
}, 120_000);

afterAll(async () => {
  await k.close();
});

describe('zerodha orders in the Kafka journal', () => {
  it('kcat shows them with our client order ids and market protection; replay matches', async () => {
    await k.login();
    await until(async () => (k.subscribed() ? true : undefined), 10_000, 'the ticker');
    await until(
      async () => {
        await k.swing();
        return k.fills('zerodha') > 2 && k.fills('paper') > 2 ? true : undefined;
      },
      30_000,
      'fills on both brokers',
    );
    k.d.child.kill('SIGTERM');
    await k.d.exited;

    const out = execFileSync(
      'kcat',
      [
        '-C',
        '-b',
        brokers,
        '-t',
        `${prefix}zerodha.orders.submitted`,
        '-o',
        'beginning',
        '-e',
        '-q',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    const orders = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> })
      // The original's envelope: the event type `order_placed`, our message in `data`.
      .filter((e) => e.type === 'order_placed' && e.data['type'] === 'SubmitOrder');
    expect(orders.length).toBeGreaterThan(0);
    const atKite = new Map(k.fake.orderBook().map((o) => [o.tag, o]));
    const sent = new Map(k.posts().map((p) => [p.body['tag'], p.body]));
    for (const { data } of orders) {
      const id = data['clientOrderId'] as string;
      expect(id).toMatch(/^Z[0-9A-Z]{17}$/);
      expect(atKite.has(id)).toBe(true);
      if (data['orderType'] === 'MARKET') {
        expect(data['protectionPrice']).toBeGreaterThan(0);
        expect(Number(sent.get(id)?.['market_protection'])).toBeGreaterThan(0);
      }
    }

    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'main.js'), 'replay'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', KAFKA_BROKERS: brokers, KAFKA_TOPIC_PREFIX: prefix },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).toBe('');
    const replay = JSON.parse(r.stdout) as ReplayResult;
    expect(replay.divergences).toBe(0);
    expect(replay.fingerprint).toBe(replay.recordedFingerprint);
  }, 120_000);
});
