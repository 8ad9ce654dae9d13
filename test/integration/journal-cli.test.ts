/**
 * `node dist/main.js journal verify|repair` and how the other commands meet a damaged journal:
 * verify lists every bad range and changes nothing; repair refuses a SEQ that is not an intact
 * batch boundary, and otherwise sets the batches after SEQ aside in a side file, removes them
 * and advances the epoch; a damaged journal or one that is not a directory ends a command with
 * exit 2 and one line on stderr.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/model/index.js';
import { LmdbTransport } from '../../src/runtime/transports/lmdb.js';
import { encodedBatch, journalRecords } from '../helpers/journal-records.js';
import {
  NONCE,
  removeBatch,
  rewriteBatch,
  storedBatch,
  storedState,
  writeJournal,
} from '../helpers/lmdb-damage.js';
import { ROOT, tempDir } from '../helpers/system.js';

const KEYS = [1, 101, 201, 301, 401, 501, 601, 701, 801, 901];

const dirs: { remove: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

/** A data directory whose journal holds 10 batches of 100 records. */
async function dataDir(): Promise<{ data: string; journal: string; records: JournalRecord[] }> {
  const d = tempDir('ap-journal-cli-');
  dirs.push(d);
  const journal = join(d.path, 'journal');
  return {
    data: d.path,
    journal,
    records: await writeJournal(
      journal,
      KEYS.map(() => 100),
    ),
  };
}

function main(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(ROOT, 'dist', 'main.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    timeout: 60_000,
  });
}

const flip = (b: Buffer) => (b[b.byteLength - 9]! ^= 0x04);

describe('journal verify', () => {
  it('reports an intact journal and exits 0', async () => {
    const { data } = await dataDir();
    const r = main(['journal', 'verify', '--data-dir', data]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      journal: join(data, 'journal'),
      intact: true,
      lastIntactSeq: 1000,
      batches: 10,
      records: 1000,
      badBatches: 0,
      bad: [],
      epoch: 0,
    });
  });

  it('lists every bad range, exits 1, and changes nothing', async () => {
    const { data, journal } = await dataDir();
    await rewriteBatch(journal, 201, flip);
    await removeBatch(journal, 501);
    await rewriteBatch(journal, 801, (b) => b.writeUInt32LE(99, 16));
    const before = await storedState(journal);
    const r = main(['journal', 'verify', '--data-dir', data]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { bad: { problem: string }[] };
    expect(report).toMatchObject({ intact: false, lastIntactSeq: 200, batches: 9, badBatches: 2 });
    expect(report.bad).toEqual([
      { fromSeq: 201, toSeq: 300, problem: expect.stringMatching(/^checksum mismatch/) },
      {
        fromSeq: 501,
        toSeq: 600,
        problem: 'seqs 501..600 are missing: no stored batch holds them',
      },
      { fromSeq: 801, toSeq: 900, problem: expect.stringMatching(/^checksum mismatch/) },
    ]);
    expect(await storedState(journal)).toEqual(before);
  });

  it('exits 2 for bad usage and for a directory without a journal', async () => {
    const { data } = await dataDir();
    expect(main(['journal', 'verify', '--data-dir', data, '--fast']).status).toBe(2);
    expect(main(['journal', 'check']).stderr).toMatch(
      /^alpha-panda: journal: unknown subcommand "check"/,
    );
    const empty = tempDir('ap-journal-cli-');
    dirs.push(empty);
    const r = main(['journal', 'verify', '--data-dir', empty.path]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `alpha-panda: there is no journal at ${join(empty.path, 'journal')} (no data.mdb there); give the data directory of the daemon that wrote it\n`,
    );
  });
});

describe('journal repair --truncate-after', () => {
  it('refuses a SEQ that is not an intact batch boundary, naming the nearest valid ones', async () => {
    const { data, journal } = await dataDir();
    await rewriteBatch(journal, 601, flip);
    const before = await storedState(journal);
    const inside = main(['journal', 'repair', '--truncate-after', '550', '--data-dir', data]);
    expect(inside.status).toBe(2);
    expect(inside.stderr).toMatch(
      /--truncate-after 550 is not a batch boundary: seqs 501\.\.600 are one batch.* Use 500 \(the nearest below\) or 600\n$/,
    );
    const past = main(['journal', 'repair', '--truncate-after', '700', '--data-dir', data]);
    expect(past.status).toBe(2);
    expect(past.stderr).toMatch(
      /seq 601 is not intact \(checksum mismatch.*\)\. The highest SEQ that keeps only intact batches is 600\n$/,
    );
    expect(main(['journal', 'repair', '--data-dir', data]).status).toBe(2);
    expect(await storedState(journal)).toEqual(before);
  });

  it('sets the batches after SEQ aside, removes them, advances the epoch, and the journal goes on', async () => {
    const { data, journal, records } = await dataDir();
    await rewriteBatch(journal, 701, flip);
    const removed = new Map<number, Buffer>();
    for (const key of [601, 701, 801, 901]) removed.set(key, await storedBatch(journal, key));

    // The daemon refuses the damaged journal, naming the repair.
    const replay = main(['replay', '--data-dir', data]);
    expect(replay.status).toBe(2);
    expect(replay.stderr.split('\n')).toHaveLength(2);
    expect(replay.stderr).toMatch(
      /^alpha-panda: the journal at .* is damaged from seq 701: checksum mismatch.*journal repair --truncate-after 700/,
    );

    const r = main(['journal', 'repair', '--truncate-after', '600', '--data-dir', data]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [said, json] = r.stdout.trim().split('\n');
    const side = join(data, 'journal-removed-after-seq-600.epoch-1.batches');
    expect(said).toBe(
      `journal repair: moved 4 batches (seqs 601..1000, ${[...removed.values()].reduce((n, b) => n + b.byteLength, 0)} bytes, 1 of them damaged) from ${journal} to ${side}; the journal now ends with the repair's record at seq 601, epoch 1`,
    );
    expect(JSON.parse(json!)).toMatchObject({ keptThrough: 600, epoch: 1, sideFile: side });

    // The side file: a JSON line, then each removed batch's stored bytes, damaged ones too.
    const file = readFileSync(side);
    const nl = file.indexOf(0x0a);
    const header = JSON.parse(file.subarray(0, nl).toString('utf8')) as Record<string, unknown>;
    expect(header).toMatchObject({
      nonce: NONCE,
      epochBefore: 0,
      epochAfter: 1,
      truncatedAfterSeq: 600,
    });
    expect(header.batches).toEqual([
      { key: 601, bytes: removed.get(601)!.byteLength, problem: null },
      {
        key: 701,
        bytes: removed.get(701)!.byteLength,
        problem: expect.stringMatching(/^checksum mismatch/),
      },
      { key: 801, bytes: removed.get(801)!.byteLength, problem: null },
      { key: 901, bytes: removed.get(901)!.byteLength, problem: null },
    ]);
    const frames = new Map<number, Buffer>();
    for (let p = nl + 1; p < file.byteLength;) {
      const length = file.readUInt32LE(p + 8);
      frames.set(file.readDoubleLE(p), file.subarray(p + 12, p + 12 + length));
      p += 12 + length;
    }
    expect(frames).toEqual(removed);

    // Gone from the journal, batches and index entries both; the repair is journaled at 601.
    const after = await storedState(journal);
    expect([...after.batches.keys()]).toEqual([1, 101, 201, 301, 401, 501, 601]);
    expect(
      after.index.map((k) => JSON.parse(k) as [string, number]).every(([, s]) => s <= 601),
    ).toBe(true);

    // It opens at epoch 1 and appends from 602.
    const t = new LmdbTransport(journal);
    expect(await t.open({ nonce: 1, createdMs: 1 })).toMatchObject({
      nonce: NONCE,
      lastSeq: 601,
      epoch: 1,
    });
    const next = journalRecords(99, 602);
    await t.append([encodedBatch(next, NONCE)]);
    const back: JournalRecord[] = [];
    for await (const rec of t.read(1)) back.push(rec);
    expect(back.slice(0, 600)).toEqual(records.slice(0, 600));
    expect(back[600]).toMatchObject({
      seq: 601,
      type: 'JournalRepaired',
      topic: 'system.events',
      source: 'operator:journal-repair',
      data: {
        type: 'JournalRepaired',
        epoch: 1,
        truncatedAfter: 600,
        removedThrough: 1000,
        sideFile: side,
      },
    });
    expect(back.slice(601)).toEqual(next);
    await t.close();
    expect(JSON.parse(main(['journal', 'verify', '--data-dir', data]).stdout)).toMatchObject({
      intact: true,
      lastIntactSeq: 700,
      epoch: 1,
    });
  });
});

describe('a journal that cannot be used', () => {
  it('ends `start` with exit 2 and one line when DATA_DIR/journal is a file', () => {
    const d = tempDir('ap-journal-cli-');
    dirs.push(d);
    mkdirSync(join(d.path, 'data'));
    writeFileSync(join(d.path, 'data', 'journal'), 'not a directory');
    const r = main(['start'], { DATA_DIR: join(d.path, 'data'), PORT: '0', HOST: '127.0.0.1' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^alpha-panda: cannot use .*data\/journal as the journal directory: E[A-Z]+ \(.*\); DATA_DIR\/journal must be a directory this process can write\n$/,
    );
  });
});
