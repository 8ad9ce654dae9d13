/**
 * A read-only LmdbTransport beside a live writer in another process: it creates nothing, refuses
 * to append, reads what the writer has committed, and tools that read the journal (`dlq list
 * --offline`, `replay`) work while the writer runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/model/index.js';
import { LmdbTransport } from '../../src/runtime/transports/lmdb.js';
import { journalRecords } from '../helpers/journal-records.js';
import { NONCE } from '../helpers/lmdb-damage.js';
import { ROOT, tempDir } from '../helpers/system.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/**
 * A writer process: appends batches of 100 records, prints `ready <lastSeq>` after each group,
 * and appends `n` more batches for each line `more n` on its stdin; closes at end of input.
 */
function startWriter(dir: string, batches: number) {
  const script = join(dir, '..', 'writer.mts');
  writeFileSync(
    script,
    `
import { createInterface } from 'node:readline';
import { LmdbTransport } from ${JSON.stringify(join(ROOT, 'src/runtime/transports/lmdb.ts'))};
import { encodedBatch, journalRecords } from ${JSON.stringify(join(ROOT, 'test/helpers/journal-records.ts'))};
const t = new LmdbTransport(${JSON.stringify(dir)});
await t.open({ nonce: ${NONCE}, createdMs: 1 });
const records = journalRecords(100_000);
const add = async (n: number) => {
  for (let i = 0; i < n; i++) {
    const from = t.lastSeq();
    await t.append([encodedBatch(records.slice(from, from + 100), ${NONCE})]);
  }
  process.stdout.write('ready ' + t.lastSeq() + '\\n');
};
await add(${batches});
for await (const line of createInterface({ input: process.stdin })) await add(Number(line.split(' ')[1]));
await t.close();
`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  cleanups.push(() => child.kill('SIGKILL'));
  return {
    async ready(): Promise<number> {
      const { value } = await lines.next();
      return Number(String(value).split(' ')[1]);
    },
    more(n: number) {
      child.stdin.write(`more ${n}\n`);
    },
    async stop(): Promise<number | null> {
      child.stdin.end();
      return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    },
  };
}

async function readAll(t: LmdbTransport): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  for await (const r of t.read(1)) out.push(r);
  return out;
}

describe('LmdbTransport read-only', () => {
  it('reads beside a live writer in another process, and never appends', async () => {
    const d = tempDir('ap-readonly-');
    cleanups.push(d.remove);
    const dir = join(d.path, 'journal');
    const writer = startWriter(dir, 5);
    expect(await writer.ready()).toBe(500);

    const reader = new LmdbTransport(dir, { readOnly: true });
    const meta = await reader.open({ nonce: 1, createdMs: 2 });
    try {
      expect(meta).toEqual({ nonce: NONCE, createdMs: 1, lastSeq: 500, epoch: 0 });
      expect(await readAll(reader)).toEqual(journalRecords(500));
      await expect(reader.append([])).rejects.toMatchObject({ code: 'JOURNAL_READ_ONLY' });

      // The writer goes on; the reader sees what it commits.
      writer.more(3);
      expect(await writer.ready()).toBe(800);
      expect(await readAll(reader)).toEqual(journalRecords(800));

      // A tool that reads the journal works while the writer runs.
      const tool = spawnSync(
        process.execPath,
        [
          join(ROOT, 'dist', 'main.js'),
          'dlq',
          'list',
          '--offline',
          '--topic',
          'market.ticks',
          '--data-dir',
          d.path,
        ],
        { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
      );
      expect(tool.stderr).toBe('');
      expect(tool.status).toBe(0);
    } finally {
      await reader.close();
    }
    writer.more(1);
    expect(await writer.ready()).toBe(900);
    expect(await writer.stop()).toBe(0);
  });

  it('creates nothing where there is no journal, and says so', async () => {
    const d = tempDir('ap-readonly-');
    cleanups.push(d.remove);
    const dir = join(d.path, 'journal');
    const t = new LmdbTransport(dir, { readOnly: true });
    await expect(t.open({ nonce: 1, createdMs: 1 })).rejects.toMatchObject({
      code: 'JOURNAL_MISSING',
      message: expect.stringContaining(`there is no journal at ${dir}`),
    });
    expect(existsSync(dir)).toBe(false);
  });
});
