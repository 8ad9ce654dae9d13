/**
 * API users: who may log in (POST /api/v1/auth/login) and with which role. They come from
 * CONFIG_DIR/users.yaml, from Postgres' users table when DATABASE_URL is set, and the first admin
 * from API__ADMIN_PASSWORD. Passwords are stored as scrypt hashes only (`hash-password` prints one).
 *
 *   users:
 *     - username: asha
 *       role: operator          # viewer: reads only; operator: reads and every command
 *       password_hash: scrypt$32768$8$1$...
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseScryptHash } from './password-hash.js';
import { ConfigError } from '../runtime/index.js';
import { parseYamlFile } from './yaml-file.js';

export const ROLES = ['viewer', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiUser {
  readonly username: string;
  readonly role: Role;
  /** scrypt$N$r$p$salt$hash, never the password. */
  readonly passwordHash: string;
}

export const USERNAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

const UsersFile = z.strictObject({
  users: z
    .array(
      z.strictObject({
        username: z.string().regex(USERNAME, {
          error: 'expected lower-case letters, digits, _ . or -, starting with a letter or digit',
        }),
        role: z.enum(ROLES),
        password_hash: z.string().superRefine((h, ctx) => {
          try {
            parseScryptHash(h, 'password_hash');
          } catch (err) {
            ctx.addIssue({ code: 'custom', message: (err as Error).message });
          }
        }),
      }),
    )
    .default([]),
});

/** The users of CONFIG_DIR/users.yaml ([] when there is no such file); ConfigError when it is bad. */
export function loadUsersFile(configDir: string): ApiUser[] {
  const path = join(configDir, 'users.yaml');
  if (!existsSync(path)) return [];
  const parsed = parseYamlFile(readFileSync(path, 'utf8'), path, UsersFile);
  const seen = new Set<string>();
  return parsed.users.map((u) => {
    if (seen.has(u.username))
      throw new ConfigError(`${path}: user ${u.username} is listed twice; keep one entry`);
    seen.add(u.username);
    return { username: u.username, role: u.role, passwordHash: u.password_hash };
  });
}
