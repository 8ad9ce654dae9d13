/** The Postgres configuration store: strategies (with live changes), instruments and users. */
import { scrypt, timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import postgres, { type Sql } from 'postgres';
import { z } from 'zod';
import { paise, parseStrategyId, quantity, type Instrument } from '../model/index.js';
import { AlphaPandaError, ConfigError } from '../runtime/index.js';
import { migrate } from './migrations.js';
import type { StrategyFileConfig } from './strategies-file.js';
import { parseStrategyRow } from './strategy-row.js';

/** The channel the table's trigger notifies with the id of each changed row. */
export const STRATEGY_CHANNEL = 'strategy_configurations';

/**
 * `<repo>/config/migrations`, found from this module so it holds for src/config/pg-store.ts and
 * for dist/config/pg-store.js alike (both are two folders below the repository).
 */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(
  new URL('../../config/migrations', import.meta.url),
);

/**
 * A strategy's configuration as stored. Structurally the actors' StrategyConfig (src/config may
 * not import src/actors), so a value of this type can be passed wherever that one is expected.
 */
export type StoredStrategyConfig = StrategyFileConfig;

/** One notified change: the row as it is now, or null when it was deleted. */
export interface StrategyChange {
  readonly id: string;
  readonly config: StoredStrategyConfig | null;
}

export interface WatchOptions {
  /**
   * Receives a malformed notification payload, a row that fails validation, a failed re-read or
   * an exception from onChange. Defaults to a process warning (stderr); nothing is ever thrown
   * into the listening connection.
   */
  readonly onError?: (err: Error) => void;
}

export interface SeedUser {
  readonly username: string;
  /** A hash from hashPassword, never the password itself. */
  readonly passwordHash: string;
}

export interface SeedInput {
  readonly strategies: readonly StoredStrategyConfig[];
  readonly instruments: readonly Instrument[];
  readonly users?: readonly SeedUser[];
}

/** Rows written by a seed, and how many of them were new or different (0 on a repeat seed). */
export interface SeedResult {
  readonly strategies: number;
  readonly instruments: number;
  readonly users: number;
  readonly changed: number;
}

const InstrumentRow = z.object({
  instrument_token: z.number().int().positive(),
  tradingsymbol: z.string(),
  name: z.string(),
  exchange: z.enum(['NSE', 'BSE']),
  segment: z.string(),
  tick_size_paise: z.number().int().positive(),
  lot_size: z.number().int().positive(),
  ref_price_paise: z.number().int().positive(),
});

/** Holds one connection pool; every method reads or writes the tables of config/migrations. */
export class PgConfigStore {
  private constructor(
    private readonly sql: Sql,
    private readonly migrationsDir: string,
  ) {}

  /**
   * Connects to `url` (a DATABASE_URL) and checks the connection with a query. Throws an
   * AlphaPandaError CONFIG_STORE_UNAVAILABLE (retriable) naming the server when it cannot connect.
   */
  static async connect(
    url: string,
    options: { migrationsDir?: string } = {},
  ): Promise<PgConfigStore> {
    let sql: Sql | undefined;
    try {
      // Notices are only "already exists, skipping" and the like; they would go to stdout.
      sql = postgres(url, { onnotice: () => undefined });
      await sql`select 1`;
    } catch (err) {
      await sql?.end({ timeout: 0 });
      throw new AlphaPandaError(
        'CONFIG_STORE_UNAVAILABLE',
        `cannot connect to Postgres at ${redact(url)}: ${(err as Error).message}; check DATABASE_URL and that the server runs (scripts/postgres-local.sh up)`,
        { retriable: true, cause: err },
      );
    }
    return new PgConfigStore(sql, options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  }

  /** Applies the pending migrations; see migrate() in ./migrations.ts. */
  migrate(): Promise<{ applied: string[] }> {
    return migrate(this.sql, this.migrationsDir);
  }

  /**
   * Reads every strategy, ordered by id. Throws ConfigError naming each row that fails the same
   * checks as an entry of strategies.yaml.
   */
  async loadStrategies(): Promise<StoredStrategyConfig[]> {
    const rows = await this.sql`
      select id, type, enabled, brokers, instruments, parameters
      from strategy_configurations order by id`;
    const out: StoredStrategyConfig[] = [];
    const bad: string[] = [];
    for (const row of rows) {
      const r = parseStrategyRow(row);
      if (r.ok) out.push(r.value);
      else bad.push(r.error);
    }
    if (bad.length > 0) throw new ConfigError(bad.join('\n'));
    return out;
  }

  /** Reads every instrument, ordered by token; money is integer paise as stored. */
  async loadInstruments(): Promise<Instrument[]> {
    const rows = await this.sql`
      select instrument_token, tradingsymbol, name, exchange, segment,
             tick_size_paise, lot_size, ref_price_paise
      from instruments order by instrument_token`;
    return rows.map((row) => {
      const r = InstrumentRow.safeParse(row);
      if (!r.success) {
        throw new ConfigError(
          `instruments row ${String(row.instrument_token)}: ${issues(r.error)}; correct the row`,
        );
      }
      const i = r.data;
      return {
        token: i.instrument_token,
        symbol: i.tradingsymbol,
        name: i.name,
        exchange: i.exchange,
        tickSize: paise(i.tick_size_paise),
        lotSize: quantity(i.lot_size),
        refPrice: paise(i.ref_price_paise),
        isIndex: i.segment === 'INDICES',
      };
    });
  }

  /**
   * Inserts or updates the given rows in one transaction; rows not given are left alone. A row
   * equal to the stored one is not written, so repeating a seed changes nothing (no version bump,
   * no notification). An instrument's segment is stored as INDICES for an index, else its exchange.
   */
  async seed(input: SeedInput): Promise<SeedResult> {
    const users = input.users ?? [];
    for (const u of users) parseScryptHash(u.passwordHash, `user ${u.username}`);
    const changed = await this.sql.begin(async (tx) => {
      let n = 0;
      for (const s of input.strategies) {
        // Parameters go as text: a value typed jsonb would be JSON-encoded a second time.
        const rows = await tx`
          insert into strategy_configurations as t
            (id, type, enabled, brokers, instruments, parameters)
          values (${s.id}, ${s.type}, ${s.enabled}, ${tx.array([...s.brokers])}::text[],
                  ${tx.array([...s.instruments])}::integer[], ${JSON.stringify(s.params)}::text::jsonb)
          on conflict (id) do update set
            type = excluded.type, enabled = excluded.enabled, brokers = excluded.brokers,
            instruments = excluded.instruments, parameters = excluded.parameters
          where (t.type, t.enabled, t.brokers, t.instruments, t.parameters) is distinct from
                (excluded.type, excluded.enabled, excluded.brokers, excluded.instruments,
                 excluded.parameters)
          returning id`;
        n += rows.length;
      }
      for (const i of input.instruments) {
        const segment = i.isIndex ? 'INDICES' : i.exchange;
        const rows = await tx`
          insert into instruments as t
            (instrument_token, tradingsymbol, name, exchange, segment,
             tick_size_paise, lot_size, ref_price_paise)
          values (${i.token}, ${i.symbol}, ${i.name}, ${i.exchange}, ${segment},
                  ${i.tickSize}, ${i.lotSize}, ${i.refPrice})
          on conflict (instrument_token) do update set
            tradingsymbol = excluded.tradingsymbol, name = excluded.name,
            exchange = excluded.exchange, segment = excluded.segment,
            tick_size_paise = excluded.tick_size_paise, lot_size = excluded.lot_size,
            ref_price_paise = excluded.ref_price_paise
          where (t.tradingsymbol, t.name, t.exchange, t.segment, t.tick_size_paise,
                 t.lot_size, t.ref_price_paise) is distinct from
                (excluded.tradingsymbol, excluded.name, excluded.exchange, excluded.segment,
                 excluded.tick_size_paise, excluded.lot_size, excluded.ref_price_paise)
          returning instrument_token`;
        n += rows.length;
      }
      for (const u of users) {
        const rows = await tx`
          insert into users as t (username, password_hash)
          values (${u.username}, ${u.passwordHash})
          on conflict (username) do update set password_hash = excluded.password_hash
          where t.password_hash is distinct from excluded.password_hash
          returning username`;
        n += rows.length;
      }
      return n;
    });
    return {
      strategies: input.strategies.length,
      instruments: input.instruments.length,
      users: users.length,
      changed,
    };
  }

  /**
   * Listens on STRATEGY_CHANNEL and, for each notification (from the trigger or a hand-written
   * `NOTIFY strategy_configurations, '<id>'`), re-reads that row and calls onChange with it, or
   * with null when it no longer exists. Re-reads run one at a time in notification order, so the
   * last call for an id carries its latest state. Resolves once listening; the returned function
   * stops it and waits for a re-read in flight. Notifications sent while the connection is down
   * are lost (postgres.js listens again on reconnect): call loadStrategies to catch up.
   */
  async watchStrategies(
    onChange: (change: StrategyChange) => void,
    options: WatchOptions = {},
  ): Promise<() => Promise<void>> {
    const onError = options.onError ?? ((err: Error) => process.emitWarning(err));
    let stopped = false;
    let queue = Promise.resolve();
    const handle = async (payload: string): Promise<void> => {
      const id = parseStrategyId(payload);
      if (!id.ok) {
        onError(
          new ConfigError(
            `${STRATEGY_CHANNEL} notification payload "${payload}" is not a strategy id (${id.error}); NOTIFY with the id of the changed row`,
          ),
        );
        return;
      }
      let rows;
      try {
        rows = await this.sql`
          select id, type, enabled, brokers, instruments, parameters
          from strategy_configurations where id = ${payload}`;
      } catch (err) {
        onError(
          new AlphaPandaError(
            'CONFIG_STORE_UNAVAILABLE',
            `re-reading strategy ${payload} after a change notification failed: ${(err as Error).message}; call loadStrategies once Postgres is back`,
            { retriable: true, cause: err },
          ),
        );
        return;
      }
      if (stopped) return;
      const row = rows[0];
      if (row === undefined) return deliver({ id: payload, config: null });
      const r = parseStrategyRow(row);
      if (r.ok) deliver({ id: payload, config: r.value });
      else onError(new ConfigError(r.error));
    };
    const deliver = (change: StrategyChange): void => {
      try {
        onChange(change);
      } catch (err) {
        onError(err instanceof Error ? err : new Error(String(err)));
      }
    };
    const listening = await this.sql.listen(STRATEGY_CHANNEL, (payload) => {
      queue = queue.then(() => handle(payload)).catch((err: unknown) => onError(err as Error));
    });
    return async () => {
      stopped = true;
      await listening.unlisten();
      await queue;
    };
  }

  /** Closes the pool, waiting up to 5 s for queries in flight. */
  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }
}

function issues(err: z.ZodError): string {
  return err.issues.map((x) => `${x.path.join('.') || '(row)'}: ${x.message}`).join('; ');
}

/** The URL with its password hidden, for messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(an unparseable URL)';
  }
}

// ---------------------------------------------------------------------------------------------
// Password hashes for the users table: scrypt$N$r$p$saltB64$hashB64.
// ---------------------------------------------------------------------------------------------

/** scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB, tens of ms) and a 32-byte key. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLen: 32 } as const;
const MIN_SALT_BYTES = 16;

interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

function scryptKey(password: string, salt: Uint8Array, c: ScryptParams, keyLen: number) {
  // Node's default maxmem (32 MiB) is too small for N = 2^15, r = 8: 128·N·r bytes plus overhead.
  const maxmem = 256 * c.N * c.r * c.p;
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, keyLen, { N: c.N, r: c.r, p: c.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/**
 * Hashes a password as `scrypt$N$r$p$saltB64$hashB64`. The salt (at least 16 bytes) comes from
 * the caller because only src/runtime/ids.ts may draw entropy: pass fresh random bytes.
 */
export async function hashPassword(password: string, salt: Uint8Array): Promise<string> {
  if (salt.length < MIN_SALT_BYTES) {
    throw new TypeError(
      `hashPassword: the salt has ${salt.length} bytes, it needs at least ${MIN_SALT_BYTES} fresh random bytes`,
    );
  }
  const { N, r, p, keyLen } = SCRYPT;
  const key = await scryptKey(password, salt, SCRYPT, keyLen);
  return ['scrypt', N, r, p, Buffer.from(salt).toString('base64'), key.toString('base64')].join(
    '$',
  );
}

/**
 * Checks a password against a hash from hashPassword in constant time. Resolves false for a wrong
 * password; throws ConfigError when the stored hash is malformed (reset that user's password).
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const h = parseScryptHash(hash, 'the stored password hash');
  const key = await scryptKey(password, h.salt, h, h.hash.length);
  return timingSafeEqual(key, h.hash);
}

/** The format with its bounds, which keep a tampered hash from asking for gigabytes of memory. */
const SCRYPT_HASH =
  /^scrypt\$(\d{4,7})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

function parseScryptHash(
  text: string,
  what: string,
): ScryptParams & { salt: Buffer; hash: Buffer } {
  const m = SCRYPT_HASH.exec(text);
  const [N, r, p] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
  const salt = Buffer.from(m?.[4] ?? '', 'base64');
  const hash = Buffer.from(m?.[5] ?? '', 'base64');
  const powerOfTwo = (N & (N - 1)) === 0;
  if (!m || !powerOfTwo || N < 2 ** 10 || N > 2 ** 20 || r < 1 || r > 32 || p < 1 || p > 16) {
    throw new ConfigError(
      `${what} is not scrypt$N$r$p$saltB64$hashB64 (N a power of two in 2^10..2^20, r 1..32, p 1..16); set it again with hashPassword`,
    );
  }
  if (salt.length < MIN_SALT_BYTES || hash.length < 16) {
    throw new ConfigError(
      `${what} has a ${salt.length}-byte salt and a ${hash.length}-byte key (at least ${MIN_SALT_BYTES} each); set it again with hashPassword`,
    );
  }
  return { N, r, p, salt, hash };
}
