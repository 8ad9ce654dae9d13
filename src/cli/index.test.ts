import { describe, expect, it } from 'vitest';
import { ENV_VARS } from '../config/index.js';
import { ConfigError } from '../runtime/index.js';
import { COMMANDS, findCommand, helpRequest } from './index.js';

const pkg = () => ({ name: 'alpha-panda', version: '9.8.7', description: 'a runtime' });

/** The ConfigError `f` throws; fails the test when it throws nothing. */
function configError(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('nothing was thrown');
}

describe('findCommand', () => {
  it('finds one- and two-word commands, and start by default', () => {
    expect(findCommand([]).command.name).toBe('start');
    expect(findCommand(['--x', '1'])).toMatchObject({ rest: ['--x', '1'] });
    expect(findCommand(['backtest', '--ticks', '5'])).toMatchObject({ rest: ['--ticks', '5'] });
    expect(findCommand(['dlq', 'list', '--topic', 't']).command.name).toBe('dlq list');
    expect(findCommand(['topics', 'bootstrap']).command.name).toBe('topics bootstrap');
  });

  it.each([
    ['strat', undefined, 'unknown command "strat"; did you mean "start"? (commands: start, '],
    ['bakctest', undefined, 'unknown command "bakctest"; did you mean "backtest"?'],
    ['hlep', undefined, 'unknown command "hlep"; did you mean "help"?'],
    ['topic', 'bootstrap', 'unknown command "topic"; did you mean "topics bootstrap"?'],
    ['dql', 'lst', 'unknown command "dql"; did you mean "dlq list"?'],
    ['dql', undefined, 'unknown command "dql"; did you mean "dlq list" or "dlq replay"?'],
    ['dlq', 'lst', 'dlq: unknown subcommand "lst"; did you mean "dlq list"?'],
    ['dlq', 'replya', 'dlq: unknown subcommand "replya"; did you mean "dlq replay"?'],
    ['dlq', 'purge', 'dlq: unknown subcommand "purge"; use "dlq list" or "dlq replay"'],
    ['topics', undefined, 'topics: a subcommand is needed: "topics bootstrap"'],
  ])('refuses %s %s, naming the nearest command', (first, second, message) => {
    const argv = second === undefined ? [first] : [first, second];
    expect(configError(() => findCommand(argv))).toContain(message);
  });

  it('lists the commands when none is near', () => {
    expect(configError(() => findCommand(['xyzzy']))).toBe(
      'unknown command "xyzzy" (commands: start, backtest, replay, compare, strategies, new-strategy, data fetch, inspect, dlq list, dlq replay, journal verify, journal repair, topics bootstrap, seed, api, charges, kite decode, login, hash-password, help; see `node dist/main.js --help`)',
    );
  });
});

describe('helpRequest', () => {
  it('answers nothing for a command to run', () => {
    expect(helpRequest([], pkg)).toBeNull();
    expect(helpRequest(['backtest', '--ticks', '5'], pkg)).toBeNull();
  });

  it('prints the version', () => {
    expect(helpRequest(['--version'], pkg)).toBe('9.8.7\n');
  });

  it('gives the usage for --help, -h, help and help help', () => {
    const text = helpRequest(['--help'], pkg)!;
    expect(text).toMatch(/^alpha-panda 9\.8\.7: a runtime\n/);
    for (const c of COMMANDS) expect(text).toContain(`  ${c.name}`);
    for (const c of COMMANDS) expect(text).toContain(c.summary);
    for (const argv of [['-h'], ['help'], ['help', 'help'], ['--port', '1', '--help']])
      expect(helpRequest(argv, pkg)).toBe(text);
  });

  it("gives a command's help for help <command> and <command> --help", () => {
    for (const c of COMMANDS) {
      const text = helpRequest(['help', ...c.name.split(' ')], pkg)!;
      expect(text).toMatch(new RegExp(`^Usage: node dist/main\\.js ${c.name}`));
      expect(helpRequest([...c.name.split(' '), '--help'], pkg)).toBe(text);
      expect(helpRequest([...c.name.split(' '), '--any', 'x', '-h'], pkg)).toBe(text);
    }
  });

  it('gives the help of every subcommand for a group', () => {
    const text = helpRequest(['help', 'dlq'], pkg)!;
    expect(text).toContain('Usage: node dist/main.js dlq list');
    expect(text).toContain('Usage: node dist/main.js dlq replay');
    expect(helpRequest(['dlq', '--help'], pkg)).toBe(text);
  });

  it('refuses the help of an unknown command, naming the nearest', () => {
    expect(configError(() => helpRequest(['help', 'strat'], pkg))).toContain(
      'did you mean "start"?',
    );
    expect(configError(() => helpRequest(['help', 'dlq', 'lst'], pkg))).toContain(
      'did you mean "dlq list"?',
    );
    expect(configError(() => helpRequest(['bakctest', '--help'], pkg))).toContain(
      'did you mean "backtest"?',
    );
  });
});

describe('COMMANDS', () => {
  const documented = new Set(ENV_VARS.map((v) => v.name));

  it('name only documented variables, each once', () => {
    for (const c of COMMANDS) {
      expect(
        c.env.filter((n) => !documented.has(n)),
        c.name,
      ).toEqual([]);
      expect(new Set(c.env).size, c.name).toBe(c.env.length);
      expect(c.env, c.name).toContain('LOG_LEVEL');
    }
  });

  it('has start read every variable, and the tools what they use', () => {
    const env = (name: string) => COMMANDS.find((c) => c.name === name)!.env;
    expect([...env('start')].sort()).toEqual([...documented].sort());
    expect(env('replay')).toEqual(expect.arrayContaining(['DATA_DIR', 'KAFKA_BROKERS']));
    expect(env('seed')).toEqual(expect.arrayContaining(['DATABASE_URL', 'CONFIG_DIR']));
    expect(env('api')).toEqual(expect.arrayContaining(['REDIS_URL', 'HOST', 'PORT']));
    expect(env('topics bootstrap')).toContain('TOPIC_PARTITIONS_MULTIPLIER');
    expect(env('backtest')).toContain('RISK__MAX_QUANTITY');
    expect(env('backtest')).not.toContain('DATA_DIR');
  });
});
