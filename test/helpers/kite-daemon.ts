/**
 * A daemon trading on a fake Kite server: the fake (its login redirects to the daemon's callback,
 * its postbacks go to the daemon), a CONFIG_DIR whose strategy trades RELIANCE on paper and
 * zerodha, the daemon's environment, and what tests do with them: log in as a person would,
 * swing the market, read the brokers' states.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { FakeKite } from '../fake-kite/index.js';
import { freePort, startDaemon, started, type Daemon } from './daemon.js';
import { tempConfigDir } from './system.js';
import { makeTick } from './ticks.js';

export const RELIANCE = 738561;

const STRATEGIES = `strategies:
  - id: swing
    type: momentum
    brokers: [paper, zerodha]
    instruments: [${RELIANCE}]
    parameters: { lookback_periods: 2, threshold: 0.001, position_size: 1, max_position: 3 }
`;

export interface BrokerState {
  broker: string;
  state: string;
  reason?: string;
  link?: Record<string, unknown>;
}

export class KiteDaemon {
  /** The daemon now (a restart replaces it); `first` keeps the data directory. */
  d!: Daemon;
  first!: Daemon;
  private price = 1_420_00;
  private ts = Date.now();

  private constructor(
    readonly fake: FakeKite,
    readonly env: Record<string, string>,
    private readonly config: { path: string; remove: () => void },
    private readonly port: number,
  ) {}

  /**
   * Starts the fake and a daemon on it; `env` overrides the daemon's environment and
   * `instruments` rewrites the CONFIG_DIR's instruments.csv.
   */
  static async start(
    env: Record<string, string> = {},
    instruments?: (csv: string) => string,
  ): Promise<KiteDaemon> {
    const port = await freePort();
    const fake = await FakeKite.start({
      heartbeatMs: 200,
      redirectUrl: `http://127.0.0.1:${port}/api/v1/auth/zerodha/callback`,
      postbackUrl: `http://127.0.0.1:${port}/api/v1/postbacks/zerodha`,
    });
    const config = tempConfigDir(STRATEGIES);
    if (instruments) {
      const file = join(config.path, 'instruments.csv');
      writeFileSync(file, instruments(readFileSync(file, 'utf8')));
    }
    const all = {
      ACTIVE_BROKERS: 'paper,zerodha',
      FEED__SOURCE: 'kite',
      MARKET_HOURS: 'always',
      CONFIG_DIR: config.path,
      LOG_FORMAT: 'json',
      ZERODHA__API_KEY: fake.apiKey,
      ZERODHA__API_SECRET: fake.apiSecret,
      ZERODHA__SESSION_KEY: '11'.repeat(32),
      ZERODHA__API_URL: fake.restUrl,
      ZERODHA__WS_URL: fake.wsUrl,
      ZERODHA__LOGIN_URL: fake.loginUrl,
      ZERODHA__STALE_SECONDS: '1',
      ZERODHA__RECONCILE_SECONDS: '1',
      RISK__MAX_DAILY_TRADES: '1000',
      ...env,
    };
    const k = new KiteDaemon(fake, all, config, port);
    k.d = await startDaemon(all, { port });
    k.first = k.d;
    await started(k.d);
    return k;
  }

  /** Starts the daemon again on the same data directory and port. */
  async restart(): Promise<void> {
    this.d = await startDaemon(this.env, { dataDir: this.first.dataDir, port: this.port });
    await started(this.d);
  }

  async close(): Promise<void> {
    this.d.remove();
    this.first.remove();
    this.config.remove();
    await this.fake.close();
  }

  async brokers(): Promise<Record<string, BrokerState>> {
    const body = (await this.d.get('/api/v1/brokers')).body as { brokers: BrokerState[] };
    return Object.fromEntries(body.brokers.map((b) => [b.broker, b]));
  }

  /** A swing of ticks (up then down) on RELIANCE through the fake's ticker. */
  async swing(): Promise<void> {
    for (const step of [40, 40, 40, -40, -40, -40]) {
      this.price += step * 5;
      this.ts += 1000;
      const p = this.price;
      await this.fake.tick(
        makeTick(RELIANCE, p, {
          ts: this.ts,
          bids: [{ price: (p - 5) as never, quantity: 10_000, orders: 1 }],
          asks: [{ price: p as never, quantity: 10_000, orders: 1 }],
        }),
      );
    }
  }

  /** Feed gaps the daemon has logged so far, opened or closed. */
  gaps(phase: 'opened' | 'closed'): number {
    return this.d.output().split(`"phase":"${phase}"`).length - 1;
  }

  /** Fills the daemon has logged on `broker`. */
  fills(broker: string): number {
    return this.d
      .output()
      .split('\n')
      .filter((l) => l.includes('"msg":"order filled"') && l.includes(`"broker":"${broker}"`))
      .length;
  }

  /** The place-order requests the fake has had since request `from`. */
  posts(from = 0) {
    return this.fake.requests
      .slice(from)
      .filter((r) => r.method === 'POST' && r.path === '/orders/regular');
  }

  /** Whether a ticker socket has subscribed RELIANCE. */
  subscribed(): boolean {
    return [...this.fake.subscriptions().values()].some((m) => m.has(RELIANCE));
  }

  /** Logs in through the daemon's login route, as a person with a browser would. */
  async login(): Promise<void> {
    const go = await fetch(`http://127.0.0.1:${this.d.port}/api/v1/auth/zerodha/login`, {
      redirect: 'manual',
    });
    expect(go.status).toBe(302);
    await kiteLogin(go.headers.get('location')!);
  }
}

/** What a person does at Kite's login page: Kite then redirects to the app's callback. */
export async function kiteLogin(url: string): Promise<void> {
  const kite = await fetch(url, { redirect: 'manual' });
  const back = kite.headers.get('location')!;
  expect(back).toContain('/api/v1/auth/zerodha/callback?request_token=');
  const done = await fetch(back);
  expect(done.status).toBe(200);
}
