/**
 * The daemon's Zerodha parts, built from the settings: Kite's REST client, the order adapter
 * (a remote broker the trading system sends durable commands to), the stored session, the
 * ticker when FEED__SOURCE=kite, and the link that ties them to the trading system (see
 * brokers/zerodha/link.ts). Everything they learn from outside enters as a journaled input.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { loadMarketRules, type Settings } from '../config/index.js';
import {
  FileSessionStore,
  KiteRest,
  KiteTicker,
  ZerodhaBroker,
  ZerodhaLink,
  parseOrderUpdate,
  sessionKey,
  verifyPostback,
  type JournalOpenOrder,
} from '../brokers/index.js';
import {
  clientOrderIdOf,
  istDate,
  type Instrument,
  type MarketHours,
  type OrderEvent,
  type OrderIdScope,
} from '../model/index.js';
import { actorIds, type Clock } from '../runtime/index.js';
import { chargesModel, chargesSpec } from './paper-charges.js';
import type { TradingSystem } from './trading-system.js';

/** What the daemon's API offers of the Zerodha link. */
export interface ZerodhaService {
  loginUrl(): string;
  /** Exchanges Kite's request token for a session; resolves with the user logged in. */
  completeLogin(requestToken: string): Promise<{ userId: string }>;
  session(): Record<string, unknown>;
  /** A postback's JSON body: verified with the api secret, then taken as a hint. */
  postback(body: unknown): { ok: true } | { ok: false; reason: string };
}

/** Whether the settings use Zerodha at all (as a broker or as the feed). */
export function usesZerodha(settings: Settings): boolean {
  return settings.active_brokers.includes('zerodha') || settings.feed.source === 'kite';
}

export interface ZerodhaParts {
  readonly broker: ZerodhaBroker;
  readonly link: ZerodhaLink;
  readonly ticker: KiteTicker | null;
  /** Wires the parts to the (recovered) trading system and goes live. */
  start(system: TradingSystem, scope: OrderIdScope, hours: MarketHours): void;
  readonly service: ZerodhaService;
  stop(): Promise<void>;
}

const timers = {
  setTimeout: (fn: () => void, ms: number): unknown => setTimeout(fn, ms),
  clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
};

/** Builds the Zerodha parts; nothing talks to Kite before `start`. */
export function zerodhaParts(
  settings: Settings,
  instruments: readonly Instrument[],
  clock: Clock,
  log: Logger,
): ZerodhaParts {
  const z = settings.zerodha;
  const apiKey = z.api_key!;
  const apiSecret = z.api_secret!;
  const rest = new KiteRest({
    apiKey,
    root: z.api_url,
    loginUrl: z.login_url,
    timeoutMs: z.timeout_ms,
  });
  const store = new FileSessionStore(
    join(settings.data_dir, 'zerodha-session.enc'),
    sessionKey(z.session_key!),
  );
  const symbols = new Map(instruments.map((i) => [i.token as number, i]));
  const placementEnabled =
    settings.trading.zerodha.enabled && settings.active_brokers.includes('zerodha');
  let system: TradingSystem | null = null;
  const trades = settings.active_brokers.includes('zerodha');
  // Late-bound: the adapter is built before the system it reports to (recovery needs it).
  let link: ZerodhaLink | null = null;
  const replied = (events: readonly OrderEvent[]) => {
    for (const e of events) system?.remote.replied('zerodha', e);
  };
  /** The zerodha trader's context: its open orders and MIS positions, as journaled. */
  const trader = () =>
    trades
      ? (system?.actor(actorIds.trader('zerodha'))?.getSnapshot().context as
          | { open: Record<string, JournalOpenOrder>; mis?: Record<string, Record<number, number>> }
          | undefined)
      : undefined;
  const broker = new ZerodhaBroker({
    api: rest,
    symbolOf: (token) => {
      const i = symbols.get(token);
      return i ? { exchange: i.exchange, tradingsymbol: i.symbol } : null;
    },
    marketProtectionPercent: loadMarketRules(settings.config_dir).marketProtectionBps / 100,
    charges: chargesModel(chargesSpec(settings)),
    placementEnabled,
    timers: { ...timers, now: () => clock.now() },
    resolveEveryMs: 1000,
    resolveForMs: 30_000,
    rateLimitWaitMs: 1000,
    rateLimitRetries: 5,
    onEvents: (events) => replied(events),
    onProblem: (p) => link?.problem(p),
  });
  const [hh, mm] = z.token_expiry_ist.split(':').map(Number) as [number, number];
  let idPrefix = '';
  link = new ZerodhaLink({
    rest,
    instruments,
    dumpDir: join(settings.data_dir, 'kite-instruments'),
    istDay: (ms) => istDate(ms),
    store,
    broker,
    apiSecret,
    placementEnabled,
    expiryMinute: hh * 60 + mm,
    reconcileEveryMs: z.reconcile_seconds * 1000,
    timers,
    host: {
      now: () => clock.now(),
      setGate: (state, reason) => {
        if (trades) system?.setTradingState('zerodha', state, reason, 'session:zerodha', 'broker');
      },
      sessionChanged: (state, reason, userId) => {
        log.info({ actor: 'session:zerodha', state, reason }, 'Kite session changed');
        system?.remote.record(
          {
            type: 'BrokerSessionChanged',
            broker: 'zerodha',
            state,
            reason,
            ...(userId !== undefined ? { userId } : {}),
          },
          'session:zerodha',
        );
      },
      reconciled: (reason, orders, differences) => {
        if (differences.length > 0)
          log.warn(
            { actor: 'broker:zerodha', reason, differences },
            'reconciliation found differences',
          );
        system?.remote.record(
          { type: 'BrokerReconciled', broker: 'zerodha', reason, orders, differences },
          'broker:zerodha',
        );
      },
      throttled: (clientOrderId, until, detail) => {
        log.warn({ actor: 'broker:zerodha', clientOrderId, until }, detail);
        if (trades)
          system?.remote.throttled({
            type: 'OrderThrottled',
            broker: 'zerodha',
            clientOrderId,
            until,
            detail,
          });
      },
      replies: (events) => {
        for (const e of events) system?.remote.replied('zerodha', e);
      },
      openOrders: () => Object.values(trader()?.open ?? {}),
      positions: () => {
        const out = new Map<number, number>();
        if (!trades || system === null) return out;
        for (const p of system.portfolios())
          if (p.broker === 'zerodha')
            for (const pos of p.positions)
              out.set(pos.token, (out.get(pos.token) ?? 0) + pos.quantity);
        return out;
      },
      misPositions: () => trader()?.mis ?? {},
      isOurs: (tag) => idPrefix !== '' && tag.startsWith(idPrefix),
      warn: (fields, message) => log.warn({ actor: 'broker:zerodha', ...fields }, message),
      info: (fields, message) => log.info({ actor: 'broker:zerodha', ...fields }, message),
    },
  });
  const theLink = link;
  let ticker: KiteTicker | null = null;
  const service: ZerodhaService = {
    loginUrl: () => theLink.loginUrl(),
    completeLogin: (t) => theLink.completeLogin(t),
    session: () => ({
      ...theLink.state(),
      loginUrl: theLink.loginUrl(),
      placementEnabled,
      staticIp: z.static_ip ?? null,
      feed: ticker?.status() ?? null,
    }),
    postback: (body) => {
      const v = verifyPostback(body, apiSecret);
      if (!v.ok) return v;
      theLink.orderUpdate(v.order);
      return { ok: true };
    },
  };
  return {
    broker,
    link: theLink,
    get ticker() {
      return ticker;
    },
    service,
    start(sys, scope, hours) {
      system = sys;
      idPrefix = clientOrderIdOf('zerodha', scope, 1).slice(0, 10);
      if (settings.feed.source === 'kite') {
        ticker = new KiteTicker({
          url: z.ws_url,
          apiKey,
          accessToken: () => theLink.accessToken(),
          tokens: instruments.map((i) => i.token as number),
          staleAfterMs: z.stale_seconds * 1000,
          pingEveryMs: Math.max(100, Math.floor((z.stale_seconds * 1000) / 3)),
          instrumentStaleMs: z.instrument_stale_seconds * 1000,
          isMarketOpen: (ms) => hours.isOpen(ms),
          backoff: { initialMs: 500, maxMs: 30_000 },
          onTicks: (ticks) => {
            sys.commands.advance(clock.now());
            sys.ingestTicks(ticks);
          },
          onOrderUpdate: (data) => {
            try {
              theLink.orderUpdate(parseOrderUpdate(data));
            } catch (err) {
              log.warn({ actor: 'feed:kite', error: String(err) }, 'order update not understood');
            }
          },
          onGap: (g) => {
            log.warn({ actor: 'feed:kite', ...g, tokens: g.tokens.length }, `feed gap ${g.phase}`);
            sys.remote.record({ type: 'FeedGap', ...g }, 'feed:kite');
          },
          onError: (message) => {
            if (/\b403\b/.test(message))
              theLink.problem({ disposition: 'token-expired', detail: `ticker: ${message}` });
            else log.warn({ actor: 'feed:kite' }, message);
          },
        });
        theLink.attachTicker(ticker);
      }
      theLink.start();
    },
    stop: () => theLink.stop(),
  };
}
