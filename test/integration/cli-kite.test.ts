/** `kite decode FILE`: a captured ticker message's packets as JSON, from the same decoder. */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage, decodePacket } from '../../src/brokers/index.js';
import { kitePacket } from '../helpers/fixtures.js';
import { ROOT, tempDir } from '../helpers/system.js';

const KITE = join(ROOT, '..', 'shared', 'fixtures', 'kite');

function kite(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'dist', 'main.js'), 'kite', 'decode', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

describe('kite decode', () => {
  it('prints the packets of a base64 bare packet and of a raw frame, as the decoder reads them', async () => {
    const full = await kite([join(KITE, 'ticker_full.packet')]);
    expect(full.code).toBe(0);
    const bare = Buffer.from(kitePacket('ticker_full.packet').toString('latin1').trim(), 'base64');
    expect(JSON.parse(full.stdout)).toEqual({
      form: 'packet',
      base64: true,
      packets: [JSON.parse(JSON.stringify(decodePacket(bare)))],
    });
    const frame = await kite([join(KITE, 'ticker_fullMode_kiteconnectjs.packet')]);
    expect(frame.code).toBe(0);
    const m = decodeMessage(kitePacket('ticker_fullMode_kiteconnectjs.packet'));
    expect(JSON.parse(frame.stdout)).toEqual({
      form: 'frame',
      base64: false,
      packets: JSON.parse(JSON.stringify(m.kind === 'ticks' ? m.packets : [])),
    });
  });

  it('exits 2 with one line naming the file and what is wrong', async () => {
    const dir = tempDir();
    try {
      const bad = join(dir.path, 'bad.bin');
      writeFileSync(bad, Buffer.from([0, 1, 0, 44, 1, 2, 3]));
      const r = await kite([bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`kite decode: ${bad}: 7 bytes are neither a frame nor one packet`);
      expect(r.stderr).toContain('packet 1 of 1 is 44 bytes but only 3 remain');
      const none = await kite([]);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('name the capture to decode');
    } finally {
      dir.remove();
    }
  });
});
