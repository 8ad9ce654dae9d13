import { beforeAll, describe, expect, it, vi } from 'vitest';
import { hashPassword, type ApiUser } from '../../config/index.js';
import { userDirectory, type UserSources } from './users.js';

// Fixed salts: the hashes only have to be well formed here.
const salt = (n: number) => Buffer.alloc(16, n);
const ADMIN = { username: 'admin', password: 'admin-password-1' };

let asha: ApiUser;
let ravi: ApiUser;
let meera: ApiUser;
beforeAll(async () => {
  asha = {
    username: 'asha',
    role: 'operator',
    passwordHash: await hashPassword('asha-password-1', salt(1)),
  };
  ravi = {
    username: 'ravi',
    role: 'viewer',
    passwordHash: await hashPassword('ravi-pass-1', salt(2)),
  };
  meera = {
    username: 'meera',
    role: 'operator',
    passwordHash: await hashPassword('meera-password-1', salt(3)),
  };
});

/** A Postgres lookup stand-in holding `users`. */
function table(...users: ApiUser[]) {
  return vi.fn((name: string) => Promise.resolve(users.find((u) => u.username === name) ?? null));
}

describe('userDirectory', () => {
  it('lets the first admin in as an operator, with its password only', async () => {
    const dir = await userDirectory({ admin: ADMIN, file: [] });
    expect(dir.known).toBe(1);
    expect(await dir.check('admin', ADMIN.password)).toEqual({
      username: 'admin',
      role: 'operator',
    });
    expect(await dir.check('admin', 'admin-password-2')).toBeNull();
    expect(await dir.check('Admin', ADMIN.password)).toBeNull();
  });

  it('lets file users in with their own role', async () => {
    const dir = await userDirectory({ admin: ADMIN, file: [asha, ravi] });
    expect(dir.known).toBe(3);
    expect(await dir.check('asha', 'asha-password-1')).toEqual({
      username: 'asha',
      role: 'operator',
    });
    expect(await dir.check('ravi', 'ravi-pass-1')).toEqual({ username: 'ravi', role: 'viewer' });
    // One user's password is not another's.
    expect(await dir.check('ravi', 'asha-password-1')).toBeNull();
    expect(await dir.check('asha', ADMIN.password)).toBeNull();
  });

  it('makes the admin of API__ADMIN_PASSWORD win over a file user of the same name', async () => {
    const fileAdmin: ApiUser = { ...ravi, username: 'admin' };
    const dir = await userDirectory({ admin: ADMIN, file: [fileAdmin] });
    expect(await dir.check('admin', ADMIN.password)).toEqual({
      username: 'admin',
      role: 'operator',
    });
    expect(await dir.check('admin', 'ravi-pass-1')).toBeNull();
  });

  it('looks up Postgres only for a name the admin and the file do not have', async () => {
    const lookup = table(meera, { ...asha, passwordHash: meera.passwordHash });
    const dir = await userDirectory({ admin: ADMIN, file: [asha], lookup });
    expect(dir.known).toBe(3);
    expect(await dir.check('meera', 'meera-password-1')).toEqual({
      username: 'meera',
      role: 'operator',
    });
    expect(await dir.check('meera', 'asha-password-1')).toBeNull();
    // asha is in the file: her row in Postgres is not asked for.
    expect(await dir.check('asha', 'asha-password-1')).toEqual({
      username: 'asha',
      role: 'operator',
    });
    expect(await dir.check('asha', 'meera-password-1')).toBeNull();
    expect(await dir.check('admin', ADMIN.password)).not.toBeNull();
    expect(lookup.mock.calls.map((c) => c[0])).toEqual(['meera', 'meera']);
  });

  it('refuses an unknown user, with or without Postgres', async () => {
    const lookup = table(meera);
    const sources: UserSources[] = [{ file: [asha] }, { admin: ADMIN, file: [asha], lookup }];
    for (const src of sources) {
      const dir = await userDirectory(src);
      expect(await dir.check('nobody', 'asha-password-1')).toBeNull();
      expect(await dir.check('nobody', '')).toBeNull();
    }
    expect(lookup.mock.calls.map((c) => c[0])).toEqual(['nobody', 'nobody']);
  });

  it('counts nobody when there is no admin, no file user and no Postgres', async () => {
    const dir = await userDirectory({ file: [] });
    expect(dir.known).toBe(0);
    expect(await dir.check('admin', ADMIN.password)).toBeNull();
  });
});
