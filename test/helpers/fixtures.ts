/**
 * Reads the test fixtures: Zerodha's recorded Kite payloads (../shared/fixtures/kite) and the
 * project's own configuration files. Every test reads them through here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const KITE = join(ROOT, '..', 'shared', 'fixtures', 'kite');

/** The text of a recorded Kite fixture, e.g. `ticker_full.json`. */
export function kiteFixtureText(name: string): string {
  return readFileSync(join(KITE, name), 'utf8');
}

/** A recorded Kite JSON fixture, parsed. */
export function kiteFixture<T>(name: string): T {
  return JSON.parse(kiteFixtureText(name)) as T;
}

/** The bytes of a recorded Kite ticker packet, e.g. `ticker_full.packet`. */
export function kitePacket(name: string): Buffer {
  return readFileSync(join(KITE, name));
}

/** A file of the project's config/ folder, e.g. `instruments.csv`. */
export function configFile(name: string): string {
  return readFileSync(join(ROOT, 'config', name), 'utf8');
}

/** A file of the project by its path from the repository's root, e.g. `README.md`. */
export function projectFile(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}
