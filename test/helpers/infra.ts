/**
 * The URLs of the loopback Kafka, Postgres and Redis that `make test` (and `make infra-up`) start:
 * from the environment, else from `.env.infra`. A suite that needs a server and finds no URL fails
 * with how to start one: it never skips, so a green run means every infrastructure path ran.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type InfraVar = 'KAFKA_BROKERS' | 'DATABASE_URL' | 'REDIS_URL';

const ROOT = join(import.meta.dirname, '..', '..');

function fromFile(): Record<string, string> {
  const path = join(ROOT, '.env.infra');
  if (!existsSync(path)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** The URL of one loopback server; throws with the fix when none is configured. */
export function infraUrl(name: InfraVar): string {
  const v = process.env[name] ?? fromFile()[name];
  if (v === undefined || v.trim() === '') {
    throw new Error(
      `${name} is not set and .env.infra has no ${name}: run \`make infra-up\` (or run the suite with \`make test\`, which starts the servers itself)`,
    );
  }
  return v.trim();
}

/** All three, as environment variables for a child process. */
export function infraEnv(): Record<InfraVar, string> {
  return {
    KAFKA_BROKERS: infraUrl('KAFKA_BROKERS'),
    DATABASE_URL: infraUrl('DATABASE_URL'),
    REDIS_URL: infraUrl('REDIS_URL'),
  };
}
