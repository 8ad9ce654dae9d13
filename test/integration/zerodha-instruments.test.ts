/**
 * Our instruments against Kite's instrument dump: a CONFIG_DIR whose RELIANCE has another tick
 * size than Kite's keeps the zerodha gate HALTED after the login, naming the instrument, so no
 * order goes out on a wrong mapping; paper trades on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/daemon.js';
import { KiteDaemon } from '../helpers/kite-daemon.js';

let k: KiteDaemon;

beforeAll(async () => {
  k = await KiteDaemon.start({ TRADING__ZERODHA__ENABLED: 'true' }, (csv) =>
    csv.replace(
      '738561,RELIANCE,RELIANCE INDUSTRIES,NSE,0.05,',
      '738561,RELIANCE,RELIANCE INDUSTRIES,NSE,0.10,',
    ),
  );
}, 60_000);

afterAll(async () => {
  await k.close();
});

describe("instruments that disagree with Kite's dump", () => {
  it('keep the zerodha gate halted, naming the instrument, and send no order', async () => {
    await k.login();
    const z = await until(
      async () => {
        const b = (await k.brokers()).zerodha!;
        return b.reason?.includes('instrument dump') === true ? b : undefined;
      },
      10_000,
      'the gate to name the instrument',
    );
    expect(z.state).toBe('HALTED');
    expect(z.reason).toContain('NSE:RELIANCE (token 738561) has tick size 10 paise, Kite 5');
    expect(z.link).toMatchObject({ state: 'VALID' });
    await k.swing();
    await k.swing();
    expect(k.fake.orderWrites()).toBe(0);
  }, 60_000);
});
