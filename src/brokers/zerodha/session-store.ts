/**
 * Where the Kite session (its access token) is kept between restarts: a file in the data
 * directory, encrypted with AES-256-GCM under a key from the environment (ZERODHA__SESSION_KEY,
 * 32 bytes as 64 hex digits or base64). The file is written whole to a temporary name and renamed,
 * mode 0600; a file that cannot be decrypted (another key, damage) is refused by name, never
 * silently replaced: the operator logs in again, which overwrites it.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { secretBytes } from '../../runtime/index.js';
import { IST_OFFSET_MS } from '../../model/index.js';

/** A Kite session as the runtime keeps it. */
export interface StoredSession {
  readonly userId: string;
  readonly accessToken: string;
  /** Epoch ms of the login. */
  readonly loginAt: number;
  /** Epoch ms at which Kite expires the token (its daily rollover). */
  readonly expiresAt: number;
}

const StoredSchema = z
  .object({
    userId: z.string().min(1),
    accessToken: z.string().min(1),
    loginAt: z.number().int(),
    expiresAt: z.number().int(),
  })
  .strict();

export class SessionStoreError extends Error {
  override readonly name = 'SessionStoreError';
}

/** Parses ZERODHA__SESSION_KEY: 64 hex digits or base64 of 32 bytes. */
export function sessionKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32)
    throw new SessionStoreError(
      `ZERODHA__SESSION_KEY must be 32 bytes as 64 hex digits or base64 (received ${key.length} bytes); make one with: openssl rand -hex 32`,
    );
  return key;
}

export interface SessionStore {
  load(): StoredSession | null;
  save(s: StoredSession): void;
}

/** The encrypted session file (`DATA_DIR/zerodha-session.enc`). */
export class FileSessionStore implements SessionStore {
  constructor(
    readonly path: string,
    private readonly key: Buffer,
  ) {}

  load(): StoredSession | null {
    if (!existsSync(this.path)) return null;
    const raw = readFileSync(this.path);
    if (raw.length < 12 + 16 + 1)
      throw new SessionStoreError(`${this.path} is too short to be a session; log in again`);
    const iv = raw.subarray(0, 12);
    const tag = raw.subarray(12, 28);
    const body = raw.subarray(28);
    let text: string;
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, iv);
      d.setAuthTag(tag);
      text = Buffer.concat([d.update(body), d.final()]).toString('utf8');
    } catch {
      throw new SessionStoreError(
        `${this.path} cannot be decrypted with ZERODHA__SESSION_KEY (another key, or a damaged file); log in again to replace it`,
      );
    }
    const parsed = StoredSchema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new SessionStoreError(`${this.path} does not hold a session; log in again`);
    return parsed.data;
  }

  save(s: StoredSession): void {
    // A fresh nonce from the OS per write: AES-GCM must never see a nonce twice under one key.
    const iv = secretBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(JSON.stringify(s), 'utf8'), c.final()]);
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, Buffer.concat([iv, c.getAuthTag(), body]), { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}

/**
 * When Kite expires a token issued at `loginAt`: the next `expiryMinute` (minutes after IST
 * midnight, 06:00 = 360 by default) strictly after the login.
 */
export function kiteExpiry(loginAt: number, expiryMinute: number): number {
  const ist = loginAt + IST_OFFSET_MS;
  const dayStart = ist - (((ist % 86_400_000) + 86_400_000) % 86_400_000);
  let at = dayStart + expiryMinute * 60_000;
  if (at <= ist) at += 86_400_000;
  return at - IST_OFFSET_MS;
}
