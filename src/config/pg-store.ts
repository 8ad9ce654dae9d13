/** The Postgres configuration store: strategies (with live changes), instruments and users. */
import { fileURLToPath } from 'node:url';
import postgres, { type Sql } from 'postgres';
import { z } from 'zod';
import { paise, parseStrategyId, quantity, type Instrument } from '../model/index.js';
import { AlphaPandaError, ConfigError } from '../runtime/index.js';
import { migrate } from './migrations.js';
import { parseScryptHash } from './password-hash.js';
import { ROLES, type ApiUser, type Role } from './users-file.js';
import type { StrategyFileConfig } from './strategies-file.js';
import { parseStrategyRow } from './strategy-row.js';

export { hashPassword, verifyPassword } from './password-hash.js';

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
  /** Set when a catch-up re-read delivered it rather than a notification. */
  readonly catchUp?: true;
}

export interface WatchOptions {
  /**
   * Receives a malformed notification payload, a row that fails validation, a failed re-read or
   * an exception from onChange. Defaults to a process warning (stderr); nothing is ever thrown
   * into the listening connection.
   */
  readonly onError?: (err: Error) => void;
  /**
   * Turns on the catch-up: on every (re)subscribe, the first included, the whole table is re-read
   * once LISTEN is in place and onChange is called with every row, as if each had been notified,
   * and with null for every id that is gone among `known` and the ids delivered earlier. So a
   * change whose notification was lost while the connection was down still arrives. `known` are
   * the ids the caller already holds (from loadStrategies).
   */
  readonly catchUp?: { readonly known: readonly string[] };
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
   * last call for an id carries its latest state. Notifications sent while the connection is down
   * are lost (postgres.js listens again on reconnect): `options.catchUp` re-reads the table on
   * every (re)subscribe to make up for them. Resolves once listening and, with catchUp, once the
   * first re-read is delivered; the returned function stops it and waits for a re-read in flight.
   */
  /**
   * Writes a strategy's `enabled` and parameters (what changes live); the row's trigger notifies
   * every listener. Throws ConfigError when no row has this id.
   */
  async updateStrategy(
    id: string,
    enabled: boolean,
    params: Record<string, unknown>,
  ): Promise<void> {
    const rows = await this.sql`
      update strategy_configurations
      set enabled = ${enabled}, parameters = ${this.sql.json(params as never)}
      where id = ${id}
      returning id`;
    if (rows.length === 0)
      throw new ConfigError(`no strategy_configurations row ${JSON.stringify(id)}; run seed`);
  }

  /** The API user `username`, or null; ConfigError when its row is malformed. */
  async findUser(username: string): Promise<ApiUser | null> {
    const rows = await this.sql`
      select username, password_hash, role from users where username = ${username}`;
    const row = rows[0];
    if (!row) return null;
    const role = String(row.role);
    if (!(ROLES as readonly string[]).includes(role))
      throw new ConfigError(
        `users row ${username}: role ${JSON.stringify(role)} is not one of ${ROLES.join(', ')}`,
      );
    return { username, role: role as Role, passwordHash: String(row.password_hash) };
  }

  async watchStrategies(
    onChange: (change: StrategyChange) => void,
    options: WatchOptions = {},
  ): Promise<() => Promise<void>> {
    const onError = options.onError ?? ((err: Error) => process.emitWarning(err));
    let stopped = false;
    let queue = Promise.resolve();
    const enqueue = (work: () => Promise<void>) => {
      queue = queue.then(work).catch((err: unknown) => onError(err as Error));
    };
    // Ids a catch-up reports as deleted when their row is gone.
    const ids = new Set(options.catchUp?.known ?? []);
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
    const catchUp = async (): Promise<void> => {
      let rows;
      try {
        rows = await this.sql`
          select id, type, enabled, brokers, instruments, parameters
          from strategy_configurations order by id`;
      } catch (err) {
        onError(
          new AlphaPandaError(
            'CONFIG_STORE_UNAVAILABLE',
            `re-reading the strategies after (re)subscribing failed: ${(err as Error).message}; changes made while the connection was down are applied at the next reconnect or restart`,
            { retriable: true, cause: err },
          ),
        );
        return;
      }
      if (stopped) return;
      const present = new Set<string>();
      for (const row of rows) {
        present.add(String(row.id));
        const r = parseStrategyRow(row);
        if (r.ok) deliver({ id: r.value.id, config: r.value, catchUp: true });
        else onError(new ConfigError(r.error));
      }
      for (const id of [...ids].sort()) {
        if (!present.has(id)) deliver({ id, config: null, catchUp: true });
      }
    };
    const deliver = (change: StrategyChange): void => {
      if (change.config === null) ids.delete(change.id);
      else ids.add(change.id);
      try {
        onChange(change);
      } catch (err) {
        onError(err instanceof Error ? err : new Error(String(err)));
      }
    };
    const listening = await this.sql.listen(
      STRATEGY_CHANNEL,
      (payload) => enqueue(() => handle(payload)),
      // Called after every LISTEN, the first and each one postgres.js sends on reconnecting.
      options.catchUp ? () => enqueue(catchUp) : undefined,
    );
    await queue;
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
