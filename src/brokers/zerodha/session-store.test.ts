import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSessionStore, kiteExpiry, SessionStoreError, sessionKey } from './session-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function file(): string {
  const d = mkdtempSync(join(tmpdir(), 'ap-session-'));
  dirs.push(d);
  return join(d, 'zerodha-session.enc');
}

const KEY = sessionKey('ab'.repeat(32));
const SESSION = { userId: 'AB1234', accessToken: 'tok', loginAt: 1_000, expiresAt: 2_000 };

describe('the stored Kite session', () => {
  it('round-trips, encrypted, readable only by its owner', () => {
    const path = file();
    new FileSessionStore(path, KEY).save(SESSION);
    expect(readFileSync(path).includes(Buffer.from('tok'))).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(new FileSessionStore(path, KEY).load()).toEqual(SESSION);
    expect(new FileSessionStore(file(), KEY).load()).toBeNull();
  });

  it('refuses a file under another key, or damaged, by name, instead of replacing it', () => {
    const path = file();
    new FileSessionStore(path, KEY).save(SESSION);
    const other = new FileSessionStore(path, sessionKey('cd'.repeat(32)));
    expect(() => other.load()).toThrow(SessionStoreError);
    expect(() => other.load()).toThrow(/cannot be decrypted.*log in again/);
    const bytes = readFileSync(path);
    bytes[bytes.length - 1]! ^= 1;
    writeFileSync(path, bytes);
    expect(() => new FileSessionStore(path, KEY).load()).toThrow(path);
    writeFileSync(path, 'x');
    expect(() => new FileSessionStore(path, KEY).load()).toThrow(/too short/);
  });

  it('takes a key of 32 bytes as hex or base64, and says how to make one otherwise', () => {
    expect(sessionKey(Buffer.alloc(32, 7).toString('base64'))).toHaveLength(32);
    expect(() => sessionKey('abc')).toThrow(/openssl rand -hex 32/);
  });

  it("expires at Kite's next rollover (06:00 IST) after the login", () => {
    const at = (iso: string) => Date.parse(iso);
    // 10:00 IST logs in until 06:00 IST the next day; 05:00 IST until 06:00 the same day.
    expect(kiteExpiry(at('2026-01-05T04:30:00Z'), 360)).toBe(at('2026-01-06T00:30:00Z'));
    expect(kiteExpiry(at('2026-01-04T23:30:00Z'), 360)).toBe(at('2026-01-05T00:30:00Z'));
    expect(kiteExpiry(at('2026-01-05T00:30:00Z'), 360)).toBe(at('2026-01-06T00:30:00Z'));
  });
});
