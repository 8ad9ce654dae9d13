import { describe, expect, it } from 'vitest';
import { ConfigError } from '../runtime/index.js';
import { activeBrokers, loadSettings, nestEnv } from './settings.js';

/** The ConfigError thrown by loadSettings(env); fails the test when nothing is thrown. */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadSettings(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('CONFIG_INVALID');
    return err as ConfigError;
  }
  throw new Error(`loadSettings accepted ${JSON.stringify(env)}`);
}

describe('loadSettings defaults', () => {
  it('runs the embedded default with an empty environment', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({
      active_brokers: ['paper'],
      port: 8080,
      host: '127.0.0.1',
      data_dir: 'data',
      config_dir: 'config',
      log_level: 'info',
      feed: { ticks_per_second: 100, batch_ms: 100, scenario: 'normal', annual_volatility: 0.2 },
      paper_trading: {
        slippage_percent: 0.05,
        charges_model: 'zerodha',
        commission_percent: 0.1,
        product: 'CNC',
        starting_cash: 1_000_000,
      },
      risk: {
        max_position_per_instrument: 1000,
        price_band_percent: 10,
        max_notional_per_order: 1_000_000,
        min_quantity: 1,
        max_quantity: 10_000,
      },
      journal: { batch_records: 1000, max_backlog: 1_000_000 },
      supervisor: { max_restarts: 5, window_seconds: 60 },
      trading: { zerodha: { enabled: false } },
    });
    expect(s.feed.seed).toBeUndefined();
    expect(activeBrokers(s)).toEqual(['paper']);
  });

  it('treats an empty variable as unset, not as zero', () => {
    const s = loadSettings({ PORT: '', PAPER_TRADING__STARTING_CASH: ' ', ACTIVE_BROKERS: '' });
    expect(s.port).toBe(8080);
    expect(s.paper_trading.starting_cash).toBe(1_000_000);
    expect(s.active_brokers).toEqual(['paper']);
  });

  it('ignores variables it does not own', () => {
    const s = loadSettings({ PATH: '/usr/bin', HOME: '/root', PORTABLE: 'x', FEEDX: '1' });
    expect(s.port).toBe(8080);
    expect(nestEnv({ PATH: '/usr/bin', PORTABLE: 'x', FEED: '1' })).toEqual({});
  });
});

describe('loadSettings `__` nesting', () => {
  it('reads nested sections from NAME__FIELD and coerces types', () => {
    const s = loadSettings({
      PORT: '9090',
      PAPER_TRADING__SLIPPAGE_PERCENT: '0.25',
      PAPER_TRADING__CHARGES_MODEL: 'flat',
      RISK__MAX_POSITION_PER_INSTRUMENT: '50',
      FEED__SEED: '4294967295',
      FEED__SCENARIO: 'breakout',
      JOURNAL__BATCH_RECORDS: '250',
      TRADING__ZERODHA__ENABLED: 'yes',
      ACTIVE_BROKERS: ' paper ',
    });
    expect(s.port).toBe(9090);
    expect(s.paper_trading).toMatchObject({ slippage_percent: 0.25, charges_model: 'flat' });
    // Untouched fields of a section keep their defaults.
    expect(s.paper_trading.commission_percent).toBe(0.1);
    expect(s.risk.max_position_per_instrument).toBe(50);
    expect(s.risk.max_quantity).toBe(10_000);
    expect(s.feed).toMatchObject({ seed: 4294967295, scenario: 'breakout' });
    expect(s.journal.batch_records).toBe(250);
    expect(s.trading.zerodha.enabled).toBe(true);
    expect(s.active_brokers).toEqual(['paper']);
  });

  it('nests any depth', () => {
    expect(
      nestEnv({ TRADING__ZERODHA__ENABLED: 'true', RISK__MIN_QUANTITY: '2', PORT: '1' }),
    ).toEqual({
      trading: { zerodha: { enabled: 'true' } },
      risk: { min_quantity: '2' },
      port: '1',
    });
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('reads the boolean %j as %s', (v, b) => {
    expect(loadSettings({ TRADING__ZERODHA__ENABLED: v }).trading.zerodha.enabled).toBe(b);
  });
});

describe('loadSettings errors', () => {
  it.each([
    ['PAPER_TRADING__SLIPPAGE_PERCENT', 'abc', 'a number from 0 to 5'],
    ['PAPER_TRADING__SLIPPAGE_PERCENT', '7', 'a number from 0 to 5'],
    ['PORT', '99999', 'an integer from 0 to 65535'],
    ['PORT', '80.5', 'an integer from 0 to 65535'],
    ['ACTIVE_BROKERS', 'paper,foo', '"paper"|"zerodha"'],
    ['ACTIVE_BROKERS', 'paper,paper', 'each broker at most once'],
    ['LOG_LEVEL', 'loud', '"info"'],
    ['FEED__SCENARIO', 'sideways', '"ranging"'],
    ['TRADING__ZERODHA__ENABLED', 'maybe', '"true"'],
    ['JOURNAL__MAX_BACKLOG', '10', 'an integer from 1000 to 1000000000'],
  ])('%s=%s names the variable, the value received and what is allowed', (name, value, allowed) => {
    const err = configError({ [name]: value });
    expect(err.message).toContain(`${name}: received ${JSON.stringify(value)}`);
    expect(err.message).toContain(allowed);
  });

  it('names every bad variable at once', () => {
    const err = configError({ PORT: '-1', LOG_LEVEL: 'loud', RISK__MIN_QUANTITY: '0', HOST: 'ok' });
    expect(err.message).toContain('PORT: received "-1"');
    expect(err.message).toContain('LOG_LEVEL: received "loud"');
    expect(err.message).toContain('RISK__MIN_QUANTITY: received "0"');
    expect(err.message).not.toContain('HOST');
  });

  it('refuses zerodha without the Kite keys, naming each missing variable', () => {
    const err = configError({ ACTIVE_BROKERS: 'paper,zerodha', ZERODHA__API_KEY: 'k' });
    expect(err.message).toContain('ZERODHA__API_SECRET, ZERODHA__SESSION_KEY: received nothing');
    expect(err.message).toContain('ACTIVE_BROKERS includes zerodha');
    expect(configError({ FEED__SOURCE: 'kite' }).message).toContain('FEED__SOURCE is kite');
    const keys = { ZERODHA__API_KEY: 'k', ZERODHA__API_SECRET: 's', ZERODHA__SESSION_KEY: 'x' };
    const s = loadSettings({ ACTIVE_BROKERS: 'paper,zerodha', ...keys });
    expect(s.active_brokers).toEqual(['paper', 'zerodha']);
    expect(s.trading.zerodha.enabled).toBe(false);
  });

  it('refuses a misspelled Zerodha variable, naming the one it nearly is', () => {
    expect(configError({ ZERODHA__API_KYE: 'k' }).message).toContain('ZERODHA__API_KEY');
  });

  it('refuses an empty broker list', () => {
    expect(configError({ ACTIVE_BROKERS: ' , ' }).message).toContain(
      'ACTIVE_BROKERS: received " , "',
    );
  });
});

describe('infrastructure settings', () => {
  it('reads the Kafka, Postgres and Redis variables, each optional', () => {
    const s = loadSettings({
      KAFKA_BROKERS: '127.0.0.1:19092, kafka2:9092',
      DATABASE_URL: 'postgres://alpha_panda@127.0.0.1:15432/alpha_panda',
      REDIS_URL: 'redis://127.0.0.1:16379/0',
      TOPIC_PARTITIONS_MULTIPLIER: '0.5',
      REDPANDA_BROKER_COUNT: '3',
      CREATE_DLQ_FOR_ALL: 'false',
    });
    expect(s.kafka_brokers).toEqual(['127.0.0.1:19092', 'kafka2:9092']);
    expect(s.database_url).toBe('postgres://alpha_panda@127.0.0.1:15432/alpha_panda');
    expect(s.redis_url).toBe('redis://127.0.0.1:16379/0');
    expect(s.topic_partitions_multiplier).toBe(0.5);
    expect(s.redpanda_broker_count).toBe(3);
    expect(s.create_dlq_for_all).toBe(false);
    const none = loadSettings({});
    expect(none.kafka_brokers).toBeUndefined();
    expect(none.database_url).toBeUndefined();
    expect(none.redis_url).toBeUndefined();
    expect(none.feed.source).toBe('mock');
  });

  it('names a bad URL and never echoes its password', () => {
    let msg = '';
    try {
      loadSettings({ DATABASE_URL: 'mysql://admin:hunter2@db:3306/x', KAFKA_BROKERS: 'localhost' });
    } catch (err) {
      msg = (err as Error).message;
    }
    expect(msg).toMatch(
      /DATABASE_URL: received "mysql:\/\/admin:\*\*\*@db:3306\/x"; expected postgres:\/\//,
    );
    expect(msg).toMatch(/KAFKA_BROKERS: received "localhost"; expected host:port/);
    expect(msg).not.toMatch(/hunter2/);
  });
});
