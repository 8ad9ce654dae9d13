import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../runtime/index.js';
import { hashPassword } from './password-hash.js';
import { loadUsersFile } from './users-file.js';

let hash: string;
beforeAll(async () => {
  // A fixed salt: a hash only has to be well formed here.
  hash = await hashPassword('a-long-enough-password', Buffer.alloc(16, 7));
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A CONFIG_DIR holding `yaml` as its users.yaml (none when undefined). */
function configDir(yaml?: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ap-users-'));
  dirs.push(dir);
  const file = join(dir, 'users.yaml');
  if (yaml !== undefined) writeFileSync(file, yaml);
  return { dir, file };
}

/** The ConfigError `loadUsersFile` throws for `yaml`. */
function refusal(yaml: string): { message: string; file: string } {
  const { dir, file } = configDir(yaml);
  try {
    loadUsersFile(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return { message: (err as Error).message, file };
  }
  throw new Error(`loadUsersFile took ${JSON.stringify(yaml)}`);
}

describe('loadUsersFile', () => {
  it('has no users without a users.yaml, and none in an empty list', () => {
    expect(loadUsersFile(configDir().dir)).toEqual([]);
    expect(loadUsersFile(configDir('users: []\n').dir)).toEqual([]);
    expect(loadUsersFile(configDir('{}\n').dir)).toEqual([]);
  });

  it('reads each user with its role and hash', () => {
    const { dir } = configDir(
      [
        'users:',
        '  - username: asha',
        '    role: operator',
        `    password_hash: ${hash}`,
        '  - username: ravi.k',
        '    role: viewer',
        `    password_hash: ${hash}`,
      ].join('\n'),
    );
    expect(loadUsersFile(dir)).toEqual([
      { username: 'asha', role: 'operator', passwordHash: hash },
      { username: 'ravi.k', role: 'viewer', passwordHash: hash },
    ]);
  });

  it('names the file, the entry and the nearest key of a misspelt key', () => {
    const { message, file } = refusal(
      `users:\n  - username: asha\n    rol: viewer\n    password_hash: ${hash}\n`,
    );
    expect(message).toContain(file);
    expect(message).toContain('unknown key "rol" in users.0; did you mean "role"?');
    expect(message).toMatch(/users\.0\.role: /);
  });

  it('names the entry of a malformed hash, without echoing it', () => {
    const { message, file } = refusal(
      [
        'users:',
        '  - username: asha',
        '    role: operator',
        `    password_hash: ${hash}`,
        '  - username: ravi',
        '    role: viewer',
        '    password_hash: plain-text-password',
      ].join('\n'),
    );
    expect(message).toContain(file);
    expect(message).toMatch(/users\.1\.password_hash: password_hash is not scrypt\$N\$r\$p/);
    expect(message).not.toContain('plain-text-password');
  });

  it('refuses a user listed twice, naming it', () => {
    const entry = (role: string) =>
      `  - username: asha\n    role: ${role}\n    password_hash: ${hash}\n`;
    const { message, file } = refusal(`users:\n${entry('viewer')}${entry('operator')}`);
    expect(message).toBe(`${file}: user asha is listed twice; keep one entry`);
  });

  it('refuses an unknown role and a malformed username, naming each entry', () => {
    const { message } = refusal(
      [
        'users:',
        '  - username: Asha',
        '    role: viewer',
        `    password_hash: ${hash}`,
        '  - username: ravi',
        '    role: admin',
        `    password_hash: ${hash}`,
      ].join('\n'),
    );
    expect(message).toMatch(/users\.0\.username: expected lower-case letters/);
    expect(message).toMatch(/users\.1\.role: .*"viewer"\|"operator"/);
  });

  it('names a file that is not YAML', () => {
    const { message, file } = refusal('users: [\n');
    expect(message).toContain(`${file}: not valid YAML`);
  });
});
