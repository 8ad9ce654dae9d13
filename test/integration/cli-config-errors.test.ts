/** Misspelled settings and strategy configuration stop the process with exit 2, naming the fix. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempConfigDir, tempDir } from '../helpers/system.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function main(args: string[], env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'dist', 'main.js'), ...args],
      { cwd: ROOT, env, timeout: 60_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

const PATH = process.env.PATH ?? '';
const dirs: { remove: () => void }[] = [];
afterAll(() => dirs.forEach((d) => d.remove()));

/** A CONFIG_DIR with the project's instruments and the given strategies.yaml. */
function configDir(strategies: string): string {
  const d = tempConfigDir(strategies);
  dirs.push(d);
  return d.path;
}

describe('misspelled environment variables', () => {
  it('stop start-up, each named with the setting it nearly is', async () => {
    const r = await main(['start'], {
      PATH,
      ACTIVE_BROKER: 'paper',
      PORTT: '9000',
      DATA_DIRR: '/tmp/x',
      REDIS_UR: 'redis://127.0.0.1:1',
      RISK__MAX_POSITON: '5',
    });
    expect(r.code).toBe(2);
    for (const line of [
      'ACTIVE_BROKER: not a setting; did you mean ACTIVE_BROKERS?',
      'PORTT: not a setting; did you mean PORT?',
      'DATA_DIRR: not a setting; did you mean DATA_DIR?',
      'REDIS_UR: not a setting; did you mean REDIS_URL?',
      'RISK__MAX_POSITON: not a setting; did you mean RISK__MAX_POSITION_PER_INSTRUMENT?',
    ])
      expect(r.stderr).toContain(line);
  });

  it('name only the misspelled one among the environment the tests run in', async () => {
    // Everything this process has (shell, npm, vitest, the test servers' script), and more.
    const env = {
      ...process.env,
      PGPORT: '5432',
      PGHOST: 'db',
      HOSTNAME: 'h',
      NODE_ENV: 'test',
      LOG_LEVL: 'info',
    };
    const r = await main(['dlq', 'list'], env);
    expect(r.code).toBe(2);
    const named = r.stderr.split('\n').filter((l) => l.includes('not a setting'));
    expect(named).toEqual(['  LOG_LEVL: not a setting; did you mean LOG_LEVEL?']);
    // Without it, the settings pass and the command itself answers.
    const { LOG_LEVL: _, ...rest } = env;
    const ok = await main(['dlq', 'list'], rest);
    expect(ok.stderr).not.toContain('invalid settings');
    expect(ok.stderr).toContain('--topic is required');
  });
});

describe('strategies.yaml with a misspelled name', () => {
  const good = '  - { id: ok_one, type: momentum, instruments: [738561] }';

  it('stops start with the entry, the key and the nearest valid key', async () => {
    const dir = configDir(
      `strategies:\n${good}\n  - { id: momentum_x, type: momentum, instruments: [738561], paramters: {} }\n`,
    );
    const data = tempDir('ap-data-');
    dirs.push(data);
    const r = await main(['start'], { PATH, CONFIG_DIR: dir, DATA_DIR: data.path });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'strategy #2 (momentum_x): unknown key "paramters"; did you mean "parameters"?',
    );
  });

  it('stops seed, before it connects, with the parameter and the nearest valid one', async () => {
    const dir = configDir(
      'strategies:\n  - { id: ema_x, type: ema_cross, instruments: [738561], parameters: { fast_perod: 3 } }\n',
    );
    const r = await main(['seed'], {
      PATH,
      CONFIG_DIR: dir,
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'strategy #1 (ema_x): parameters: unknown parameter "fast_perod"; did you mean "fast_period"?',
    );
    expect(r.stderr).not.toContain('cannot connect');
  });

  it('stops backtest too', async () => {
    const dir = configDir(
      'strategies:\n  - { id: m, type: momentum, instruments: [738561], parameters: { treshold: 0.1 } }\n',
    );
    const r = await main(['backtest', '--ticks', '10'], { PATH, CONFIG_DIR: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown parameter "treshold"; did you mean "threshold"?');
  });
});
