/**
 * Live placement is off unless TRADING__ZERODHA__ENABLED=true: with it unset, a daemon with
 * zerodha among its brokers logs in, takes the ticker and trades on paper, but its zerodha gate
 * stays HALTED saying why, and not one order request reaches Kite (the fake counts them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/daemon.js';
import { KiteDaemon } from '../helpers/kite-daemon.js';

let k: KiteDaemon;

beforeAll(async () => {
  k = await KiteDaemon.start();
}, 60_000);

afterAll(async () => {
  await k.close();
});

describe('zerodha with live placement off', () => {
  it('sends Kite no order request, whatever the strategies signal', async () => {
    await k.login();
    await until(async () => (k.subscribed() ? true : undefined), 10_000, 'the ticker');
    // Paper trades on the Kite feed; the zerodha gate refuses every signal.
    await until(
      async () => {
        await k.swing();
        const refused = k.d
          .output()
          .split('\n')
          .filter((l) => l.includes('"msg":"signal rejected"') && l.includes('"broker":"zerodha"'));
        return k.fills('paper') > 2 && refused.length > 2 ? true : undefined;
      },
      20_000,
      'paper fills and zerodha refusals',
    );
    const z = (await k.brokers()).zerodha!;
    expect(z.state).toBe('HALTED');
    expect(z.reason).toContain('TRADING__ZERODHA__ENABLED=true');
    expect(z.link).toMatchObject({ state: 'VALID', placementEnabled: false });
    expect(k.fake.orderWrites()).toBe(0);
    expect(k.fake.requests.some((r) => r.path.startsWith('/orders') && r.method !== 'GET')).toBe(
      false,
    );
  }, 60_000);
});
