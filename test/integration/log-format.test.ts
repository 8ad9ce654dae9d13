/** LOG_FORMAT as a user sees it: the daemon's log as readable lines or as JSON, trades included. */
import { afterEach, describe, expect, it } from 'vitest';
import { startDaemon, until, type Daemon } from '../helpers/daemon.js';

const PRETTY = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} (TRACE|DEBUG|INFO |WARN |ERROR|FATAL) /;

let d: Daemon | undefined;
afterEach(() => {
  d?.remove();
  d = undefined;
});

/** Runs the daemon until it has logged an order and a fill, stops it; returns its log lines. */
async function daemonLog(format: 'pretty' | 'json'): Promise<string[]> {
  d = await startDaemon({
    LOG_FORMAT: format,
    FEED__SEED: '42',
    FEED__TICKS_PER_SECOND: '2000',
  });
  const daemon = d;
  await until(
    async () => (/order filled/.test(daemon.output()) ? true : undefined),
    60_000,
    'an order filled line in the log',
  );
  daemon.child.kill('SIGTERM');
  expect(await daemon.exited).toEqual({ code: 0, signal: null });
  return daemon
    .output()
    .split('\n')
    .filter((l) => l.trim() !== '');
}

describe('LOG_FORMAT', () => {
  it('pretty prints one readable line per event, orders and fills from the trader', async () => {
    const lines = await daemonLog('pretty');
    expect(lines.every((l) => PRETTY.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('{'))).toBe(false);
    expect(lines).toContainEqual(expect.stringMatching(/ INFO {2}alpha panda started port=\d+ /));
    for (const msg of ['order submitted', 'order filled'])
      expect(lines).toContainEqual(
        expect.stringMatching(
          new RegExp(
            ` INFO {2}\\[trader:paper\\] ${msg} seq=\\d+ correlationSeq=\\d+ correlationId=[0-9a-f-]{36} broker=paper `,
          ),
        ),
      );
    expect(lines.at(-1)).toMatch(/ INFO {2}journal flushed; stopped /);
  }, 90_000);

  it('json prints one JSON object per line, orders and fills from the trader', async () => {
    const entries = (await daemonLog('json')).map(
      (l) => JSON.parse(l) as { level: number; msg: string; actor?: string; seq?: number },
    );
    expect(entries.map((e) => e.msg)).toContain('alpha panda started');
    for (const msg of ['order submitted', 'order filled'])
      expect(entries).toContainEqual(
        expect.objectContaining({ level: 30, msg, actor: 'trader:paper', seq: expect.any(Number) }),
      );
    expect(entries.at(-1)!.msg).toBe('journal flushed; stopped');
  }, 90_000);
});
