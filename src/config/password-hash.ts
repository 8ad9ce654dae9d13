/** Password hashes for the users table: scrypt$N$r$p$saltB64$hashB64. */
import { scrypt, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../runtime/index.js';

/** scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB, tens of ms) and a 32-byte key. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLen: 32 } as const;
const MIN_SALT_BYTES = 16;

interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

function scryptKey(password: string, salt: Uint8Array, c: ScryptParams, keyLen: number) {
  // Node's default maxmem (32 MiB) is too small for N = 2^15, r = 8: 128·N·r bytes plus overhead.
  const maxmem = 256 * c.N * c.r * c.p;
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, keyLen, { N: c.N, r: c.r, p: c.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/**
 * Hashes a password as `scrypt$N$r$p$saltB64$hashB64`. The salt (at least 16 bytes) comes from
 * the caller because only src/runtime/ids.ts may draw entropy: pass fresh random bytes.
 */
export async function hashPassword(password: string, salt: Uint8Array): Promise<string> {
  if (salt.length < MIN_SALT_BYTES) {
    throw new TypeError(
      `hashPassword: the salt has ${salt.length} bytes, it needs at least ${MIN_SALT_BYTES} fresh random bytes`,
    );
  }
  const { N, r, p, keyLen } = SCRYPT;
  const key = await scryptKey(password, salt, SCRYPT, keyLen);
  return ['scrypt', N, r, p, Buffer.from(salt).toString('base64'), key.toString('base64')].join(
    '$',
  );
}

/**
 * Checks a password against a hash from hashPassword in constant time. Resolves false for a wrong
 * password; throws ConfigError when the stored hash is malformed (reset that user's password).
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const h = parseScryptHash(hash, 'the stored password hash');
  const key = await scryptKey(password, h.salt, h, h.hash.length);
  return timingSafeEqual(key, h.hash);
}

/** The format with its bounds, which keep a tampered hash from asking for gigabytes of memory. */
const SCRYPT_HASH =
  /^scrypt\$(\d{4,7})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

/** Parses a stored hash; throws ConfigError naming `what` when it is malformed. */
export function parseScryptHash(
  text: string,
  what: string,
): ScryptParams & { salt: Buffer; hash: Buffer } {
  const m = SCRYPT_HASH.exec(text);
  const [N, r, p] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
  const salt = Buffer.from(m?.[4] ?? '', 'base64');
  const hash = Buffer.from(m?.[5] ?? '', 'base64');
  const powerOfTwo = (N & (N - 1)) === 0;
  if (!m || !powerOfTwo || N < 2 ** 10 || N > 2 ** 20 || r < 1 || r > 32 || p < 1 || p > 16) {
    throw new ConfigError(
      `${what} is not scrypt$N$r$p$saltB64$hashB64 (N a power of two in 2^10..2^20, r 1..32, p 1..16); set it again with hashPassword`,
    );
  }
  if (salt.length < MIN_SALT_BYTES || hash.length < 16) {
    throw new ConfigError(
      `${what} has a ${salt.length}-byte salt and a ${hash.length}-byte key (at least ${MIN_SALT_BYTES} each); set it again with hashPassword`,
    );
  }
  return { N, r, p, salt, hash };
}
