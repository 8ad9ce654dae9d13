/**
 * Who may log in: the first admin (API__ADMIN_PASSWORD, an operator), CONFIG_DIR/users.yaml and,
 * with DATABASE_URL, Postgres' users table, looked up in that order. A login checks the password
 * against the scrypt hash in constant time, and an unknown user costs as much as a wrong password.
 */
import { hashPassword, verifyPassword, type ApiUser, type Role } from '../../config/index.js';
import { secretBytes } from '../../runtime/index.js';

export interface UserDirectory {
  /** The user's role when `password` is theirs, else null. */
  check(username: string, password: string): Promise<{ username: string; role: Role } | null>;
  /** How many users can log in (0: nobody can, which start-up reports). */
  readonly known: number;
}

export interface UserSources {
  readonly admin?: { readonly username: string; readonly password: string };
  readonly file: readonly ApiUser[];
  /** Postgres' users table, when DATABASE_URL is set. */
  readonly lookup?: (username: string) => Promise<ApiUser | null>;
}

export async function userDirectory(src: UserSources): Promise<UserDirectory> {
  const local = new Map(src.file.map((u) => [u.username, u]));
  if (src.admin)
    local.set(src.admin.username, {
      username: src.admin.username,
      role: 'operator',
      passwordHash: await hashPassword(src.admin.password, secretBytes(16)),
    });
  // Checked when the user is unknown, so that timing does not tell who exists.
  const decoy = await hashPassword(secretBytes(16).toString('hex'), secretBytes(16));
  return {
    known: local.size + (src.lookup ? 1 : 0),
    async check(username, password) {
      const user = local.get(username) ?? (src.lookup ? await src.lookup(username) : null);
      const ok = await verifyPassword(password, user?.passwordHash ?? decoy);
      return ok && user ? { username: user.username, role: user.role } : null;
    },
  };
}
