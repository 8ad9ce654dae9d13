/**
 * Settings from the environment, `__` for nesting (`PAPER_TRADING__SLIPPAGE_PERCENT`), validated
 * by zod. A bad value stops start-up with a message naming the variable, what was received and
 * what is allowed.
 */
import { z } from 'zod';
import { MOCK_SCENARIOS } from '../feed/index.js';
import { BROKERS, type BrokerName } from '../model/index.js';
import { ConfigError } from '../runtime/index.js';
import { misspelledVariables } from './env-names.js';
import { ENV_VAR_NAMES } from './env-vars.js';

// One message per numeric setting that says what is allowed (zod's default for "abc" is
// "expected number, received NaN", which names neither the range nor what was given).
const num = (min: number, max: number) => {
  const error = `expected a number from ${min} to ${max}`;
  return z.coerce.number({ error }).min(min, { error }).max(max, { error });
};
const int = (min: number, max: number) => {
  const error = `expected an integer from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const SettingsSchema = z.object({
  active_brokers: z
    .string()
    .default('paper')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== ''),
    )
    .pipe(
      z
        .array(z.enum(BROKERS))
        .min(1)
        .refine((a) => new Set(a).size === a.length, 'each broker at most once'),
    ),
  port: int(0, 65535).default(8080),
  // Loopback by default; another interface needs tokens for reads too (API__READS=token).
  host: z.string().default('127.0.0.1'),
  data_dir: z.string().min(1).default('data'),
  config_dir: z.string().min(1).default('config'),
  /** Strategy files (`*.ts`, `*.js`) loaded at start; models under it (docs/sdk.md). */
  strategies_dir: z.string().min(1).default('strategies'),
  log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty` (one readable line per event) or `json`; unset: pretty when stdout is a terminal. */
  log_format: z.enum(['pretty', 'json']).optional(),
  /** Kafka/Redpanda bootstrap servers, comma-separated; unset = the embedded LMDB journal. */
  kafka_brokers: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== ''),
    )
    .pipe(
      z
        .array(z.string().regex(/^[^:\s]+:\d{1,5}$/, 'expected host:port[,host:port...]'))
        .min(1, 'expected host:port[,host:port...]'),
    )
    .optional(),
  kafka_client_id: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'expected 1-100 characters of A-Z a-z 0-9 . _ -')
    .default('alpha-panda'),
  /** Prepended to every topic name: a separate journal on a shared cluster. Empty in production. */
  kafka_topic_prefix: z
    .string()
    .regex(/^[A-Za-z0-9._-]{0,100}$/, 'expected up to 100 characters of A-Z a-z 0-9 . _ -')
    .default(''),
  redpanda_broker_count: int(1, 1000).default(1),
  topic_partitions_multiplier: num(0, 1000).default(1),
  create_dlq_for_all: bool.default(true),
  /** Postgres for configuration; unset = config/*.yaml and config/instruments.csv. */
  database_url: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected postgres://user[:password]@host:port/database')
    .optional(),
  /** Redis for the read model; unset = in-process only. */
  redis_url: z
    .string()
    .regex(/^rediss?:\/\//, 'expected redis://[user:password@]host:port[/db]')
    .optional(),
  feed: z
    .object({
      /**
       * `mock` (seeded mock market), `kite` (Zerodha's live ticker: needs the ZERODHA__ keys)
       * or `none` (no market data: API, commands and replay only).
       */
      source: z.enum(['mock', 'kite', 'none']).default('mock'),
      /** Ticks per second over all instruments. */
      ticks_per_second: num(1, 1_000_000).default(100),
      /** How often the feed delivers a batch, ms. */
      batch_ms: int(1, 10_000).default(100),
      seed: int(0, 4294967295).optional(),
      /** Stop the feed once the run's journal holds this many ticks (recovered ones count). */
      max_ticks: int(0, 1e12).optional(),
      scenario: z.enum(MOCK_SCENARIOS).default('normal'),
      annual_volatility: num(0.001, 5).default(0.2),
    })
    .prefault({}),
  paper_trading: z
    .object({
      slippage_percent: num(0, 5).default(0.05),
      /**
       * `zerodha` (Zerodha's equity charges at the rates of CONFIG_DIR's
       * charges/zerodha-equity.yaml) or `flat` (commission_percent of value).
       */
      charges_model: z.enum(['flat', 'zerodha']).default('zerodha'),
      commission_percent: num(0, 5).default(0.1),
      product: z.enum(['CNC', 'MIS']).default('CNC'),
      /** Rupees. */
      starting_cash: num(0, 1e12).default(1_000_000),
      /** Simulated delay before an order can match, ms of the input clock. */
      latency_ms: int(0, 60_000).default(0),
      /** Up to this much more delay, drawn per order from the run's seed, ms. */
      latency_jitter_ms: int(0, 60_000).default(0),
    })
    .prefault({}),
  /**
   * `calendar`: trade only in the exchange's sessions (config/calendar); `always`: 24x7. Unset:
   * `always` with the mock feed and the paper broker (so a first run trades), else `calendar`.
   */
  market_hours: z.enum(['calendar', 'always']).optional(),
  risk: z
    .object({
      max_open_orders: int(1, 1e6).default(50),
      /** Kept free over a buy's value for slippage and charges, percent. */
      cash_buffer_percent: num(0, 100).default(0.5),
      /** The original's MaxDailyTrades (50), per strategy and IST trading day. */
      max_daily_trades: int(1, 1e9).default(50),
      /** Orders above this quantity are sliced (at most market-rules' max_slices); 0: never. */
      freeze_quantity: int(0, 1e9).default(0),
      /** Comma list of instrument tokens strategies may trade; unset: every non-index instrument. */
      allowed_instruments: z
        .string()
        .transform((s) =>
          s
            .split(',')
            .map((x) => x.trim())
            .filter((x) => x !== ''),
        )
        .pipe(
          z.array(
            z
              .string()
              .regex(
                /^[1-9]\d*$/,
                'expected instrument tokens (positive integers), comma-separated',
              )
              .transform(Number),
          ),
        )
        .optional(),
      /** Rupees, realized + unrealized net of charges, per strategy and IST day; 0: off. */
      daily_loss_limit_per_strategy: num(0, 1e12).default(0),
      /** Rupees, over every strategy of a broker; 0: off. */
      daily_loss_limit_per_broker: num(0, 1e12).default(0),
      /** Rupees below a strategy's peak equity; 0: off. */
      max_drawdown_per_strategy: num(0, 1e12).default(0),
      /** What a breached loss limit does to the strategy or broker. */
      loss_limit_action: z.enum(['REDUCING', 'HALTED']).default('REDUCING'),
      max_position_per_instrument: int(1, 1e9).default(1000),
      price_band_percent: num(0.01, 100).default(10),
      /** Rupees. */
      max_notional_per_order: num(1, 1e12).default(1_000_000),
      min_quantity: int(1, 1e9).default(1),
      max_quantity: int(1, 1e9).default(10_000),
    })
    .prefault({}),
  api: z
    .object({
      /** Request bodies larger than this get 413, bytes. */
      max_body_bytes: int(1, 1 << 30).default(1 << 20),
      /** Signs the API's tokens (HS256); unset: a random key per process (tokens end at a restart). */
      jwt_secret: z
        .string()
        .min(32, { error: 'expected at least 32 characters (make one with: openssl rand -hex 32)' })
        .optional(),
      /** The first admin's password; unset: no admin (users from CONFIG_DIR/users.yaml or Postgres). */
      admin_password: z.string().min(12, { error: 'expected at least 12 characters' }).optional(),
      admin_username: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, {
          error: 'expected lower-case letters, digits, _ . or -, such as admin',
        })
        .default('admin'),
      /** How long a token from POST /api/v1/auth/login is good for, seconds. */
      token_ttl_seconds: int(60, 7 * 86_400).default(8 * 3600),
      /** `token`: reads need a token; `open`: reads need none (loopback HOST only). */
      reads: z.enum(['token', 'open']).default('token'),
      /** Requests per client per minute; past it, 429 with Retry-After. */
      rate_limit_per_minute: int(1, 1e7).default(1200),
      /** Failed logins per client per minute; past it, 429. */
      login_attempts_per_minute: int(1, 1000).default(10),
      /** Origins a browser may call the API from (CORS); unset: none. */
      cors_origins: z
        .string()
        .optional()
        .refine(
          (s) =>
            (s ?? '')
              .split(',')
              .map((x) => x.trim())
              .filter((x) => x !== '')
              .every((o) => /^https?:\/\/[^/\s]+$/.test(o)),
          { error: 'expected a comma list of origins such as https://ops.example.com (no path)' },
        ),
      /** A bearer token that may read GET /metrics only (for Prometheus); unset: reads' rule. */
      metrics_token: z
        .string()
        .min(16, { error: 'expected at least 16 characters (make one with: openssl rand -hex 16)' })
        .optional(),
    })
    .prefault({}),
  metrics: z
    .object({
      /** false: no business metrics are recorded (GET /metrics has the process's only). */
      enabled: bool.default(true),
    })
    .prefault({}),
  /** Where halts, the kill switch, faults, loss limits, session expiry and DLQ growth are pushed. */
  notify: z
    .object({
      webhook_url: z.url({ error: 'expected an http(s) URL' }).optional(),
      slack_webhook_url: z.url({ error: 'expected an http(s) URL' }).optional(),
      telegram_bot_token: z.string().min(1).optional(),
      telegram_chat_id: z.string().min(1).optional(),
      telegram_api_url: z
        .url({ error: 'expected an http(s) URL' })
        .default('https://api.telegram.org'),
      /** Attempts per notification and sink before it is dropped (and logged). */
      attempts: int(1, 100).default(6),
      timeout_ms: int(100, 60_000).default(5000),
      /** Notifications held per sink while it is down; past it, the oldest are dropped (logged). */
      max_queue: int(1, 1e6).default(1000),
    })
    .prefault({}),
  journal: z
    .object({
      /** Below this much free space in DATA_DIR, /ready warns, bytes. */
      min_free_bytes: int(0, 1e15).default(256 * 2 ** 20),
      batch_records: int(1, 1_000_000).default(1000),
      max_backlog: int(1000, 1e9).default(1_000_000),
    })
    .prefault({}),
  /** When the daemon snapshots its actors (ARCHITECTURE "Recovery"); also at every graceful stop. */
  snapshot: z
    .object({
      /** Records journaled since the last snapshot that trigger the next; 0: never by count. */
      every_records: int(0, 1e12).default(500_000),
      /** Seconds since the last snapshot that trigger the next; 0: never by time. */
      every_seconds: num(0, 7 * 86_400).default(300),
    })
    .prefault({}),
  portfolio: z
    .object({
      /** Seconds between the PnL snapshots every portfolio publishes besides one per fill; 0: none. */
      pnl_snapshot_seconds: int(0, 86_400).default(60),
    })
    .prefault({}),
  supervisor: z
    .object({
      max_restarts: int(0, 1000).default(5),
      window_seconds: num(1, 86_400).default(60),
    })
    .prefault({}),
  trading: z
    .object({
      zerodha: z.object({ enabled: bool.default(false) }).prefault({}),
    })
    .prefault({}),
  /** Kite Connect: the app's keys, its endpoints and the live link's bounds. */
  zerodha: z
    .object({
      api_key: z.string().min(1).optional(),
      api_secret: z.string().min(1).optional(),
      /** Encrypts the stored session: 32 bytes as 64 hex digits or base64. */
      session_key: z.string().min(1).optional(),
      api_url: z.url({ error: 'expected an http(s) URL' }).default('https://api.kite.trade'),
      ws_url: z
        .string()
        .regex(/^wss?:\/\//, 'expected a ws:// or wss:// URL')
        .default('wss://ws.kite.trade'),
      login_url: z
        .url({ error: 'expected an http(s) URL' })
        .default('https://kite.zerodha.com/connect/login'),
      /** The static IPv4 registered with Kite for orders (documented, shown by the API). */
      static_ip: z
        .string()
        .regex(/^(\d{1,3}\.){3}\d{1,3}$/, 'expected an IPv4 address such as 203.0.113.7')
        .optional(),
      timeout_ms: int(100, 60_000).default(7000),
      stale_seconds: num(0.1, 60).default(5),
      instrument_stale_seconds: num(1, 3600).default(60),
      reconcile_seconds: num(0, 3600).default(30),
      token_expiry_ist: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (IST), such as 06:00')
        .default('06:00'),
    })
    .prefault({}),
});

export type Settings = z.infer<typeof SettingsSchema>;

/**
 * Builds the nested object zod reads from the documented variables (ENV_VARS), `__` nesting;
 * every other variable is left out.
 */
export function nestEnv(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(env)) {
    // An empty variable counts as unset (so `PORT=` means the default, not 0).
    if (v === undefined || v.trim() === '' || !ENV_VAR_NAMES.has(k)) continue;
    const path = k.toLowerCase().split('__');
    let node = out;
    for (let i = 0; i < path.length - 1; i++) {
      const seg = path[i]!;
      const next = node[seg];
      node = (typeof next === 'object' && next !== null ? next : (node[seg] = {})) as Record<
        string,
        unknown
      >;
    }
    node[path[path.length - 1]!] = v;
  }
  return out;
}

/**
 * Reads and validates settings; throws ConfigError naming every bad value and every variable that
 * looks like a misspelled setting (with the setting it nearly names).
 */
export function loadSettings(env: Readonly<Record<string, string | undefined>>): Settings {
  const parsed = SettingsSchema.safeParse(nestEnv(env));
  const misspelled = misspelledVariables(env).map((line) => `  ${line}`);
  if (!parsed.success || misspelled.length > 0) {
    const issues = parsed.success ? [] : parsed.error.issues;
    const lines = issues.map((i) => {
      const name = i.path
        .filter((p) => typeof p === 'string')
        .join('__')
        .toUpperCase();
      const raw = env[name];
      // A URL may carry a password: never echo it.
      const received = raw?.replace(/(\/\/[^:/@\s]*:)[^@\s]*@/, '$1***@');
      return `  ${name}: received ${received === undefined ? 'nothing' : JSON.stringify(received)}; ${i.message}`;
    });
    const rename =
      misspelled.length > 0
        ? [
            '  (rename or unset each; `node dist/main.js help <command>` lists what a command reads)',
          ]
        : [];
    throw new ConfigError(`invalid settings:\n${[...lines, ...misspelled, ...rename].join('\n')}`);
  }
  const s = parsed.data;
  const why = s.active_brokers.includes('zerodha')
    ? 'ACTIVE_BROKERS includes zerodha'
    : s.feed.source === 'kite'
      ? 'FEED__SOURCE is kite'
      : null;
  if (why !== null) {
    const missing = (['api_key', 'api_secret', 'session_key'] as const)
      .filter((k) => s.zerodha[k] === undefined)
      .map((k) => `ZERODHA__${k.toUpperCase()}`);
    if (missing.length > 0)
      throw new ConfigError(
        `invalid settings:\n  ${missing.join(', ')}: received nothing; ${why}, which needs the Kite Connect app's api key and secret (developers.kite.trade) and a session key (make one with: openssl rand -hex 32)`,
      );
  }
  if (s.notify.telegram_bot_token !== undefined && s.notify.telegram_chat_id === undefined)
    throw new ConfigError(
      'invalid settings:\n  NOTIFY__TELEGRAM_CHAT_ID: received nothing; NOTIFY__TELEGRAM_BOT_TOKEN is set, and a Telegram message needs the chat it goes to',
    );
  if (s.notify.telegram_chat_id !== undefined && s.notify.telegram_bot_token === undefined)
    throw new ConfigError(
      'invalid settings:\n  NOTIFY__TELEGRAM_BOT_TOKEN: received nothing; NOTIFY__TELEGRAM_CHAT_ID is set, and a Telegram message needs the bot that sends it',
    );
  return s;
}

export function activeBrokers(s: Settings): BrokerName[] {
  return s.active_brokers;
}
