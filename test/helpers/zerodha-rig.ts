/**
 * The Zerodha adapter on a fake Kite server: Kite's REST client (kiteconnect), the order adapter
 * with every event it journals collected, and a way to wait until it has settled. The contract
 * suite and the adapter's fault tests run on it.
 */
import {
  KiteRest,
  ZerodhaBroker,
  type BrokerProblem,
  type ZerodhaBrokerOptions,
} from '../../src/brokers/index.js';
import { loadInstruments } from '../../src/config/index.js';
import type { OrderEvent } from '../../src/model/index.js';
import { FakeKite, type FakeKiteOptions } from '../fake-kite/index.js';
import { INSTRUMENTS as KITE_INSTRUMENTS } from '../fake-kite/kite-fixtures.js';
import { zerodhaCharges } from './charges.js';

export interface ZerodhaRig {
  readonly fake: FakeKite;
  readonly rest: KiteRest;
  readonly broker: ZerodhaBroker;
  /** Every event the adapter reported, in order. */
  readonly events: OrderEvent[];
  readonly problems: BrokerProblem[];
  /** Confirms every open order and waits until the adapter has nothing in flight. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Our instruments (config/instruments.csv) and those of Kite's recorded instrument dump. */
const SYMBOLS = new Map<number, { exchange: string; tradingsymbol: string }>([
  ...KITE_INSTRUMENTS.map(
    (k) => [k.token as number, { exchange: k.exchange, tradingsymbol: k.tradingSymbol }] as const,
  ),
  ...loadInstruments('config').map(
    (i) => [i.token as number, { exchange: i.exchange, tradingsymbol: i.symbol }] as const,
  ),
]);

export async function zerodhaRig(
  over: Partial<ZerodhaBrokerOptions> = {},
  fakeOptions: FakeKiteOptions = {},
): Promise<ZerodhaRig> {
  const fake = await FakeKite.start(fakeOptions);
  const rest = new KiteRest({
    apiKey: fake.apiKey,
    root: fake.restUrl,
    loginUrl: fake.loginUrl,
    timeoutMs: 500,
  });
  rest.setAccessToken(fake.issueToken());
  const events: OrderEvent[] = [];
  const problems: BrokerProblem[] = [];
  const broker = new ZerodhaBroker({
    api: rest,
    symbolOf: (token) => SYMBOLS.get(token) ?? null,
    marketProtectionPercent: 2,
    charges: zerodhaCharges(),
    placementEnabled: true,
    timers: {
      now: () => Date.now(),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    },
    resolveEveryMs: 20,
    resolveForMs: 2_000,
    rateLimitWaitMs: 50,
    rateLimitRetries: 3,
    onEvents: (e) => events.push(...e),
    onProblem: (p) => problems.push(p),
    ...over,
  });
  broker.live = true;
  return {
    fake,
    rest,
    broker,
    events,
    problems,
    async settle() {
      await broker.idle();
      broker.confirmOpen();
      await broker.idle();
      // Orders Kite placed itself (the MIS square-off), as reconciliation finds them.
      for (const k of await rest.orders()) broker.external(k);
      await broker.idle();
    },
    async close() {
      broker.close();
      await fake.close();
    },
  };
}
