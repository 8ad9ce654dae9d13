import { join } from 'node:path';
import pino from 'pino';
import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infraUrl } from '../helpers/infra.js';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';
import { runSeed } from '../../src/system/seed.js';
import { loadInstruments, loadStrategies } from '../../src/config/config-files.js';
import { AlphaPandaError, ConfigError } from '../../src/runtime/errors.js';
import {
  hashPassword,
  PgConfigStore,
  verifyPassword,
  type StoredStrategyConfig,
  type StrategyChange,
} from '../../src/config/pg-store.js';

const CONFIG_DIR = join(import.meta.dirname, '..', '..', 'config');
const silent = pino({ level: 'silent' });

/** Values pushed by a callback, taken in order by awaiting next(): no polling, no sleeps. */
class Inbox<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((t: T) => void)[] = [];
  readonly push = (t: T): void => {
    const w = this.waiters.shift();
    if (w) w(t);
    else this.items.push(t);
  };
  next(): Promise<T> {
    const t = this.items.shift();
    if (t !== undefined) return Promise.resolve(t);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  get pending(): number {
    return this.items.length;
  }
}

const byId = (a: StoredStrategyConfig, b: StoredStrategyConfig): number =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

let db: TestDatabase;
let store: PgConfigStore;
/** A separate client standing for anyone who edits the tables with plain SQL (psql, a script). */
let psql: Sql;

beforeAll(async () => {
  db = await createTestDatabase();
  store = await PgConfigStore.connect(db.url);
  psql = postgres(db.url, { onnotice: () => undefined });
});

afterAll(async () => {
  await psql?.end({ timeout: 5 });
  await store?.close();
  await db?.drop();
});

describe('PgConfigStore.connect', () => {
  it('names the server and the fix when it cannot connect', async () => {
    const err = await PgConfigStore.connect('postgres://nobody:secret@127.0.0.1:1/none').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AlphaPandaError);
    const e = err as AlphaPandaError;
    expect(e.code).toBe('CONFIG_STORE_UNAVAILABLE');
    expect(e.retriable).toBe(true);
    expect(e.message).toContain('127.0.0.1:1');
    expect(e.message).toContain('DATABASE_URL');
    expect(e.message).not.toContain('secret');
  });
});

describe('seeding from config/', () => {
  it('migrates, seeds, and round-trips strategies and instruments exactly', async () => {
    const counts = await runSeed({ databaseUrl: db.url, configDir: CONFIG_DIR, log: silent });
    const fileStrategies = loadStrategies(CONFIG_DIR);
    const fileInstruments = loadInstruments(CONFIG_DIR);
    expect(counts).toEqual({
      strategies: fileStrategies.length,
      instruments: fileInstruments.length,
    });
    // Tables have no order: the store reads by id and by token.
    expect(await store.loadStrategies()).toEqual([...fileStrategies].sort(byId));
    expect(await store.loadInstruments()).toEqual(
      [...fileInstruments].sort((a, b) => a.token - b.token),
    );
  });

  it('changes nothing when run a second time', async () => {
    const snapshot = async (): Promise<unknown[]> => [
      ...(await psql`
        select 's' as t, id as k, xmin::text, version, updated_at from strategy_configurations
        union all
        select 'i', instrument_token::text, xmin::text, null, null from instruments
        order by 1, 2`),
    ];
    const before = await snapshot();
    const again = await runSeed({ databaseUrl: db.url, configDir: CONFIG_DIR, log: silent });
    expect(again.strategies).toBe(5);
    // xmin is the writing transaction: unchanged means the rows were not even rewritten.
    expect(await snapshot()).toEqual(before);
    const direct = await store.seed({
      strategies: loadStrategies(CONFIG_DIR),
      instruments: loadInstruments(CONFIG_DIR),
    });
    expect(direct.changed).toBe(0);
  });

  it('seeds users and updates a changed row', async () => {
    const hash = await hashPassword('s3cret', new Uint8Array(16).fill(7));
    const r = await store.seed({
      strategies: [],
      instruments: [],
      users: [{ username: 'admin', passwordHash: hash }],
    });
    expect(r).toEqual({ strategies: 0, instruments: 0, users: 1, changed: 1 });
    const [row] = await psql`select password_hash from users where username = 'admin'`;
    expect(await verifyPassword('s3cret', row!.password_hash as string)).toBe(true);
    await expect(
      store.seed({
        strategies: [],
        instruments: [],
        users: [{ username: 'bob', passwordHash: 'plain-text' }],
      }),
    ).rejects.toThrow(/user bob .*not scrypt\$N\$r\$p\$saltB64\$hashB64/);
  });
});

describe('watchStrategies', () => {
  const changes = new Inbox<StrategyChange>();
  const errors = new Inbox<Error>();
  let unwatch: () => Promise<void>;

  beforeAll(async () => {
    unwatch = await store.watchStrategies(changes.push, { onError: errors.push });
  });

  afterAll(async () => {
    await unwatch?.();
  });

  it('delivers the new row after a plain SQL UPDATE, with the version bumped', async () => {
    const [before] = await psql`
      select version from strategy_configurations where id = 'ema_cross_reliance'`;
    await psql`update strategy_configurations set enabled = false where id = 'ema_cross_reliance'`;
    expect(await changes.next()).toEqual({
      id: 'ema_cross_reliance',
      config: {
        id: 'ema_cross_reliance',
        type: 'ema_cross',
        enabled: false,
        brokers: ['paper'],
        instruments: [738561],
        params: { fast_period: 3, slow_period: 8, bar_ticks: 5, quantity: 10 },
      },
    });
    const [after] = await psql`
      select version from strategy_configurations where id = 'ema_cross_reliance'`;
    expect(after!.version).toBe((before!.version as number) + 1);
  });

  it('delivers the current row on a hand-written NOTIFY', async () => {
    await psql`notify strategy_configurations, 'ema_cross_tcs'`;
    const c = await changes.next();
    expect(c.id).toBe('ema_cross_tcs');
    expect(c.config).toMatchObject({ id: 'ema_cross_tcs', enabled: true, instruments: [2953217] });
  });

  it('delivers an INSERT', async () => {
    await psql`
      insert into strategy_configurations (id, type, instruments, parameters)
      values ('momentum_new', 'momentum', '{738561}', '{"threshold": 0.01}')`;
    expect(await changes.next()).toEqual({
      id: 'momentum_new',
      config: {
        id: 'momentum_new',
        type: 'momentum',
        enabled: true,
        brokers: ['paper'],
        instruments: [738561],
        params: { threshold: 0.01 },
      },
    });
  });

  it('delivers null when the row is deleted', async () => {
    await psql`delete from strategy_configurations where id = 'momentum_new'`;
    expect(await changes.next()).toEqual({ id: 'momentum_new', config: null });
  });

  it('reports a row with an unknown broker through onError, naming the row', async () => {
    await psql`
      update strategy_configurations set brokers = '{paper,kite}'
      where id = 'momentum_default'`;
    const err = await errors.next();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('row "momentum_default"');
    expect(err.message).toContain('brokers.1');
    // The next notification still arrives, and the bad row produced no change.
    await psql`notify strategy_configurations, 'ema_cross_tcs'`;
    expect((await changes.next()).id).toBe('ema_cross_tcs');
    expect(changes.pending).toBe(0);
  });

  it('refuses to load while a row is bad, naming it', async () => {
    await expect(store.loadStrategies()).rejects.toThrow(/row "momentum_default": brokers\.1/);
    await psql`update strategy_configurations set brokers = '{paper}' where id = 'momentum_default'`;
    expect((await changes.next()).config?.brokers).toEqual(['paper']);
  });

  it('reports a row with a misspelled parameter through onError, naming the nearest, and refuses to load it', async () => {
    const fixed = { fast_period: 3, slow_period: 8, bar_ticks: 5, quantity: 10 };
    const typo = { fast_perod: 2, slow_period: 8, bar_ticks: 5, quantity: 10 };
    await psql`
      update strategy_configurations set parameters = ${JSON.stringify(typo)}::text::jsonb
      where id = 'ema_cross_tcs'`;
    const err = await errors.next();
    expect(err).toBeInstanceOf(ConfigError);
    const what =
      'row "ema_cross_tcs": parameters: unknown parameter "fast_perod"; did you mean "fast_period"?';
    expect(err.message).toContain(what);
    await expect(store.loadStrategies()).rejects.toThrow(what);
    expect(changes.pending).toBe(0);
    await psql`
      update strategy_configurations set parameters = ${JSON.stringify(fixed)}::text::jsonb
      where id = 'ema_cross_tcs'`;
    expect((await changes.next()).config?.params).toEqual(fixed);
  });

  it('reports a payload that is not a strategy id through onError', async () => {
    await psql`notify strategy_configurations, 'Not An Id!'`;
    const err = await errors.next();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('"Not An Id!" is not a strategy id');
  });

  it('does not notify an UPDATE that changes nothing', async () => {
    await psql`update strategy_configurations set enabled = enabled where id = 'ema_cross_tcs'`;
    await psql`notify strategy_configurations, 'ema_cross_banks'`;
    // Notifications arrive in commit order, so a notification for the no-op would come first.
    expect((await changes.next()).id).toBe('ema_cross_banks');
  });

  it('reports an exception thrown by onChange through onError', async () => {
    const failing = await store.watchStrategies(
      () => {
        throw new Error('listener broke');
      },
      { onError: errors.push },
    );
    try {
      await psql`notify strategy_configurations, 'ema_cross_tcs'`;
      expect((await errors.next()).message).toBe('listener broke');
      expect((await changes.next()).id).toBe('ema_cross_tcs');
    } finally {
      await failing();
    }
  });
});

describe('watchStrategies with catchUp', () => {
  it('re-reads the table on every (re)subscribe: changes and deletions made while away', async () => {
    const own = await PgConfigStore.connect(db.url);
    const admin = await psql.reserve();
    // ALTER DATABASE ... allow_connections runs from another database.
    const maint = postgres(infraUrl('DATABASE_URL'), { max: 1, onnotice: () => undefined });
    const changes = new Inbox<StrategyChange>();
    const errors = new Inbox<Error>();
    let unwatch: (() => Promise<void>) | undefined;
    try {
      const rows = await own.loadStrategies();
      // The first subscribe delivers every row before it resolves, marked as a catch-up.
      unwatch = await own.watchStrategies(changes.push, {
        onError: errors.push,
        catchUp: { known: [...rows.map((r) => r.id), 'gone_before_start'] },
      });
      const first = await Promise.all(
        [...rows, { id: 'gone_before_start' }].map(() => changes.next()),
      );
      expect(first).toEqual([
        ...rows.map((config) => ({ id: config.id, config, catchUp: true })),
        { id: 'gone_before_start', config: null, catchUp: true },
      ]);

      // Nobody may connect while the listener is cut off, so it stays away during the changes.
      await maint`alter database ${maint(db.name)} allow_connections false`;
      try {
        const cut = await admin`
          select pg_terminate_backend(pid) as ok from pg_stat_activity
          where datname = ${db.name} and query ilike 'listen %' and pid <> pg_backend_pid()`;
        expect(cut.map((r) => r.ok)).toEqual([true]);
        await admin`update strategy_configurations set enabled = false where id = 'ema_cross_tcs'`;
        await admin`delete from strategy_configurations where id = 'momentum_default'`;
        expect(changes.pending).toBe(0);
      } finally {
        await maint`alter database ${maint(db.name)} allow_connections true`;
      }

      const again = new Map<string, StrategyChange>();
      while (!again.has('momentum_default')) {
        const c = await changes.next();
        again.set(c.id, c);
      }
      expect(again.get('ema_cross_tcs')).toMatchObject({
        catchUp: true,
        config: { id: 'ema_cross_tcs', enabled: false },
      });
      expect(again.get('momentum_default')).toEqual({
        id: 'momentum_default',
        config: null,
        catchUp: true,
      });
      expect([...again.keys()].sort()).toEqual(rows.map((r) => r.id).sort());
      expect(errors.pending).toBe(0);
    } finally {
      admin.release();
      await maint.end();
      await unwatch?.();
      await own.close();
    }
  });
});

describe('password hashes', () => {
  const salt = new Uint8Array(16).map((_, i) => i);

  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('correct horse', salt);
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await hashPassword('correct horse', salt)).toBe(hash);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsf', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('refuses a short salt and a malformed hash', async () => {
    await expect(hashPassword('x', new Uint8Array(8))).rejects.toThrow(/at least 16/);
    await expect(verifyPassword('x', 'scrypt$1073741824$8$1$AAAA$AAAA')).rejects.toBeInstanceOf(
      ConfigError,
    );
    await expect(verifyPassword('x', 'md5$abc')).rejects.toBeInstanceOf(ConfigError);
  });
});
