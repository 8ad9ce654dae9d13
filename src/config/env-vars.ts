/**
 * The environment variables Alpha Panda reads: the one table that the settings (which variables
 * are read), the help (what each command reads) and the README's configuration table follow.
 */
import { MOCK_SCENARIOS } from '../feed/index.js';

export interface EnvVar {
  /** `PORT`, `RISK__MAX_QUANTITY`: `__` separates the levels of the setting. */
  readonly name: string;
  /** The value an unset (or empty) variable stands for, as the help shows it; `unset` for none. */
  readonly default: string;
  readonly meaning: string;
}

/** The variables with a prefix (`RISK__`, `TRADING__ZERODHA__`) share its first level. */
export const ENV_VARS: readonly EnvVar[] = [
  {
    name: 'ACTIVE_BROKERS',
    default: 'paper',
    meaning:
      'comma list of brokers: paper, zerodha (zerodha needs the ZERODHA__ keys; it places orders only with TRADING__ZERODHA__ENABLED=true)',
  },
  { name: 'PORT', default: '8080', meaning: 'port of the HTTP API' },
  {
    name: 'HOST',
    default: '127.0.0.1',
    meaning:
      'address of the HTTP API; on any but a loopback address every read needs a token (API__READS=token)',
  },
  {
    name: 'DATA_DIR',
    default: 'data',
    meaning: 'the LMDB journal (DATA_DIR/journal) and snapshots (DATA_DIR/snapshots)',
  },
  {
    name: 'CONFIG_DIR',
    default: 'config',
    meaning: 'holds instruments.csv, strategies.yaml, market-rules.yaml, calendar/ and charges/',
  },
  {
    name: 'STRATEGIES_DIR',
    default: 'strategies',
    meaning:
      'strategy files (top-level *.ts, *.mts, *.js, *.mjs, each defining the type named after it) loaded at start, and the model files strategies read; a broken file faults only the strategies of its type',
  },
  {
    name: 'LOG_LEVEL',
    default: 'info',
    meaning: 'pino level: fatal, error, warn, info, debug, trace or silent',
  },
  {
    name: 'LOG_FORMAT',
    default: 'unset',
    meaning: 'pretty (one readable line per event) or json; unset: pretty on a terminal, else json',
  },
  {
    name: 'FEED__SOURCE',
    default: 'mock',
    meaning:
      "mock, kite (Zerodha's live ticker; needs the ZERODHA__ keys), or none for no market data (API, commands and read model only)",
  },
  {
    name: 'FEED__TICKS_PER_SECOND',
    default: '100',
    meaning: 'mock feed rate over all instruments',
  },
  { name: 'FEED__BATCH_MS', default: '100', meaning: 'how often the feed delivers a batch, ms' },
  {
    name: 'FEED__SEED',
    default: 'unset',
    meaning: 'seeds the mock market and every other random source; unset: a random seed',
  },
  {
    name: 'FEED__MAX_TICKS',
    default: 'unset',
    meaning:
      "stop the feed once the run's journal holds this many ticks (recovered ones count); unset: never",
  },
  { name: 'FEED__SCENARIO', default: 'normal', meaning: MOCK_SCENARIOS.join(', ') },
  {
    name: 'FEED__ANNUAL_VOLATILITY',
    default: '0.2',
    meaning: 'volatility of the mock random walk',
  },
  {
    name: 'PAPER_TRADING__SLIPPAGE_PERCENT',
    default: '0.05',
    meaning: 'adverse slippage on every fill (whole basis points)',
  },
  {
    name: 'PAPER_TRADING__CHARGES_MODEL',
    default: 'zerodha',
    meaning:
      "zerodha (Zerodha's equity charges at the rates of CONFIG_DIR/charges/zerodha-equity.yaml: brokerage, STT, exchange, SEBI, stamp duty, GST) or flat (commission percent of value)",
  },
  { name: 'PAPER_TRADING__COMMISSION_PERCENT', default: '0.1', meaning: "the flat model's rate" },
  {
    name: 'PAPER_TRADING__PRODUCT',
    default: 'CNC',
    meaning:
      'the product of an order whose strategy names none: CNC (delivery, no short selling) or MIS (intraday, squared off at the cut-off)',
  },
  { name: 'PAPER_TRADING__STARTING_CASH', default: '1000000', meaning: 'rupees per portfolio' },
  {
    name: 'PAPER_TRADING__LATENCY_MS',
    default: '0',
    meaning: 'simulated delay before an order can match, ms',
  },
  {
    name: 'PAPER_TRADING__LATENCY_JITTER_MS',
    default: '0',
    meaning: "up to this much more delay, drawn per order from the run's seed, ms",
  },
  {
    name: 'MARKET_HOURS',
    default: 'unset',
    meaning:
      'calendar (trade only in NSE sessions from CONFIG_DIR/calendar) or always (24x7); unset: always with the mock feed and paper broker, else calendar',
  },
  {
    name: 'RISK__MAX_OPEN_ORDERS',
    default: '50',
    meaning: 'open orders per strategy and broker',
  },
  {
    name: 'RISK__CASH_BUFFER_PERCENT',
    default: '0.5',
    meaning: "kept free over a buy's value for slippage and charges",
  },
  {
    name: 'RISK__MAX_DAILY_TRADES',
    default: '50',
    meaning: "validated orders per strategy and IST trading day (the original's limit)",
  },
  {
    name: 'RISK__FREEZE_QUANTITY',
    default: '0',
    meaning:
      'orders above this quantity are sliced (at most max_slices of market-rules.yaml); 0: never',
  },
  {
    name: 'RISK__ALLOWED_INSTRUMENTS',
    default: 'unset',
    meaning:
      'comma list of instrument tokens strategies may trade; unset: every non-index instrument',
  },
  {
    name: 'RISK__DAILY_LOSS_LIMIT_PER_STRATEGY',
    default: '0',
    meaning: 'rupees of realized + unrealized loss net of charges per IST day; 0: off',
  },
  {
    name: 'RISK__DAILY_LOSS_LIMIT_PER_BROKER',
    default: '0',
    meaning: 'rupees, over every strategy of a broker account per IST day; 0: off',
  },
  {
    name: 'RISK__MAX_DRAWDOWN_PER_STRATEGY',
    default: '0',
    meaning: "rupees below a strategy's peak equity; 0: off",
  },
  {
    name: 'RISK__LOSS_LIMIT_ACTION',
    default: 'REDUCING',
    meaning: 'REDUCING (only position-reducing orders) or HALTED, for a breached loss limit',
  },
  {
    name: 'RISK__MAX_POSITION_PER_INSTRUMENT',
    default: '1000',
    meaning: 'shares per strategy and instrument, fills plus validated unfilled orders',
  },
  {
    name: 'RISK__PRICE_BAND_PERCENT',
    default: '10',
    meaning: "largest distance of a signal's price from the last tick",
  },
  { name: 'RISK__MAX_NOTIONAL_PER_ORDER', default: '1000000', meaning: 'rupees' },
  { name: 'RISK__MIN_QUANTITY', default: '1', meaning: 'shares per order, at least' },
  { name: 'RISK__MAX_QUANTITY', default: '10000', meaning: 'shares per order, at most' },
  {
    name: 'API__MAX_BODY_BYTES',
    default: '1048576',
    meaning: 'request bodies larger than this get 413, bytes',
  },
  {
    name: 'API__JWT_SECRET',
    default: 'unset',
    meaning:
      'signs API tokens (HS256), at least 32 characters; unset: a random key per process, so tokens end at a restart',
  },
  {
    name: 'API__ADMIN_PASSWORD',
    default: 'unset',
    meaning:
      'password of the first admin (operator role), at least 12 characters; unset: no admin, users only from CONFIG_DIR/users.yaml or Postgres',
  },
  { name: 'API__ADMIN_USERNAME', default: 'admin', meaning: 'name of the first admin' },
  {
    name: 'API__TOKEN_TTL_SECONDS',
    default: '28800',
    meaning: 'how long a token from POST /api/v1/auth/login is good for, seconds',
  },
  {
    name: 'API__READS',
    default: 'token',
    meaning:
      'token: every route but /health, /ready, /openapi.json and /docs needs a token; open: reads need none (only on a loopback HOST)',
  },
  {
    name: 'API__RATE_LIMIT_PER_MINUTE',
    default: '1200',
    meaning: 'requests per client (address) per minute; past it, 429 with Retry-After',
  },
  {
    name: 'API__LOGIN_ATTEMPTS_PER_MINUTE',
    default: '10',
    meaning: 'failed logins per client per minute; past it, 429',
  },
  {
    name: 'API__CORS_ORIGINS',
    default: 'unset',
    meaning: 'comma list of origins browsers may call the API from; unset: CORS off',
  },
  {
    name: 'API__METRICS_TOKEN',
    default: 'unset',
    meaning:
      'a bearer token good for GET /metrics only (for Prometheus), at least 16 characters; unset: /metrics follows API__READS',
  },
  {
    name: 'METRICS__ENABLED',
    default: 'true',
    meaning: 'false: business metrics are not recorded (GET /metrics has the process metrics only)',
  },
  {
    name: 'NOTIFY__WEBHOOK_URL',
    default: 'unset',
    meaning:
      'halts, the kill switch, faults, loss limits, session expiry and DLQ growth are POSTed here as JSON',
  },
  {
    name: 'NOTIFY__SLACK_WEBHOOK_URL',
    default: 'unset',
    meaning: 'a Slack incoming webhook that gets the same notifications as Slack messages',
  },
  {
    name: 'NOTIFY__TELEGRAM_BOT_TOKEN',
    default: 'unset',
    meaning: 'a Telegram bot that sends the notifications (with NOTIFY__TELEGRAM_CHAT_ID)',
  },
  {
    name: 'NOTIFY__TELEGRAM_CHAT_ID',
    default: 'unset',
    meaning: 'the Telegram chat the notifications go to',
  },
  {
    name: 'NOTIFY__TELEGRAM_API_URL',
    default: 'https://api.telegram.org',
    meaning: "Telegram's Bot API",
  },
  {
    name: 'NOTIFY__ATTEMPTS',
    default: '6',
    meaning: 'attempts per notification and sink (backing off) before it is dropped and logged',
  },
  { name: 'NOTIFY__TIMEOUT_MS', default: '5000', meaning: 'how long one attempt may take, ms' },
  {
    name: 'NOTIFY__MAX_QUEUE',
    default: '1000',
    meaning: 'notifications held per sink while it is down; past it, the oldest are dropped',
  },
  {
    name: 'PORTFOLIO__PNL_SNAPSHOT_SECONDS',
    default: '60',
    meaning:
      'seconds between the PnL snapshots every portfolio publishes besides one per fill; 0: none',
  },
  {
    name: 'JOURNAL__MIN_FREE_BYTES',
    default: '268435456',
    meaning: 'below this much free space in DATA_DIR, /ready warns, bytes',
  },
  { name: 'JOURNAL__BATCH_RECORDS', default: '1000', meaning: 'records per stored journal batch' },
  {
    name: 'JOURNAL__MAX_BACKLOG',
    default: '1000000',
    meaning: 'unflushed records past which every risk gate halts',
  },
  {
    name: 'SNAPSHOT__EVERY_RECORDS',
    default: '500000',
    meaning: 'a snapshot after this many journaled records; 0: never by count',
  },
  {
    name: 'SNAPSHOT__EVERY_SECONDS',
    default: '300',
    meaning: 'a snapshot after this many seconds; 0: never by time',
  },
  { name: 'SUPERVISOR__MAX_RESTARTS', default: '5', meaning: 'restart budget of every actor' },
  {
    name: 'SUPERVISOR__WINDOW_SECONDS',
    default: '60',
    meaning: 'the window of the restart budget, seconds',
  },
  {
    name: 'TRADING__ZERODHA__ENABLED',
    default: 'false',
    meaning:
      'true: orders to the zerodha broker are placed at Kite; otherwise its gate stays HALTED and no order request is sent',
  },
  { name: 'ZERODHA__API_KEY', default: 'unset', meaning: "the Kite Connect app's api key" },
  {
    name: 'ZERODHA__API_SECRET',
    default: 'unset',
    meaning: "the app's api secret (login checksum, postback checksums); never logged",
  },
  {
    name: 'ZERODHA__SESSION_KEY',
    default: 'unset',
    meaning:
      'encrypts the stored Kite session (DATA_DIR/zerodha-session.enc): 32 bytes as 64 hex digits or base64 (openssl rand -hex 32)',
  },
  { name: 'ZERODHA__API_URL', default: 'https://api.kite.trade', meaning: "Kite's REST root" },
  { name: 'ZERODHA__WS_URL', default: 'wss://ws.kite.trade', meaning: "Kite's ticker" },
  {
    name: 'ZERODHA__LOGIN_URL',
    default: 'https://kite.zerodha.com/connect/login',
    meaning: "Kite's login page (GET /api/v1/auth/zerodha/login redirects there)",
  },
  {
    name: 'ZERODHA__STATIC_IP',
    default: 'unset',
    meaning:
      'the static IPv4 registered with Kite for orders (SEBI 2026: orders from any other IP are refused); shown by GET /api/v1/brokers',
  },
  { name: 'ZERODHA__TIMEOUT_MS', default: '7000', meaning: 'timeout of a Kite REST call, ms' },
  {
    name: 'ZERODHA__STALE_SECONDS',
    default: '5',
    meaning:
      'a ticker connection with no frame (not even a heartbeat) this long is dropped and reconnected',
  },
  {
    name: 'ZERODHA__INSTRUMENT_STALE_SECONDS',
    default: '60',
    meaning: 'an instrument with no tick this long in market hours is journaled as a feed gap',
  },
  {
    name: 'ZERODHA__RECONCILE_SECONDS',
    default: '30',
    meaning:
      "how often open orders are reconciled with Kite's order book; 0: only at start and login",
  },
  {
    name: 'ZERODHA__TOKEN_EXPIRY_IST',
    default: '06:00',
    meaning: "Kite's daily token rollover (IST): the session expires then and waits for a login",
  },
  {
    name: 'KAFKA_BROKERS',
    default: 'unset',
    meaning: 'host:port[,host:port] of Kafka or Redpanda: the journal on its topics; unset: LMDB',
  },
  {
    name: 'KAFKA_CLIENT_ID',
    default: 'alpha-panda',
    meaning: "client id; the journal's transactional id is <client id>-journal:<prefix>",
  },
  {
    name: 'KAFKA_TOPIC_PREFIX',
    default: '',
    meaning: 'prepended to every topic name: a separate journal on a shared cluster',
  },
  {
    name: 'REDPANDA_BROKER_COUNT',
    default: '1',
    meaning: 'brokers in the cluster; topics get replication min(3, this)',
  },
  {
    name: 'TOPIC_PARTITIONS_MULTIPLIER',
    default: '1',
    meaning: 'partitions = ceil(base × this), at least 1 (the multiplier is floored at 0.1)',
  },
  {
    name: 'CREATE_DLQ_FOR_ALL',
    default: 'true',
    meaning:
      'also create <topic>.dlq for topics no actor consumes (consumed topics always have one)',
  },
  {
    name: 'DATABASE_URL',
    default: 'unset',
    meaning:
      'postgres://user[:password]@host:port/db: strategies and instruments from Postgres (run seed once), strategy rows changed live; unset: the files in CONFIG_DIR',
  },
  {
    name: 'REDIS_URL',
    default: 'unset',
    meaning:
      'redis://[user:password@]host:port[/db]: the read model is also written to Redis, rebuilt from the journal at start',
  },
];

/** Every documented name, for lookups. */
export const ENV_VAR_NAMES: ReadonlySet<string> = new Set(ENV_VARS.map((v) => v.name));

/** The first levels of the nested variables: `API__`, `FEED__`, `RISK__`, ... */
export const ENV_PREFIXES: readonly string[] = [
  ...new Set(
    ENV_VARS.filter((v) => v.name.includes('__')).map((v) => `${v.name.split('__')[0]}__`),
  ),
];

/** The documented variable `name`; throws for a name not in the table (a programming error). */
export function envVar(name: string): EnvVar {
  const v = ENV_VARS.find((x) => x.name === name);
  if (!v) throw new TypeError(`${name} is not in ENV_VARS (src/config/env-vars.ts)`);
  return v;
}

/** The names of the documented variables that start with `prefix` (`RISK__`), in table order. */
export function envVarsWithPrefix(prefix: string): string[] {
  return ENV_VARS.filter((v) => v.name.startsWith(prefix)).map((v) => v.name);
}
