/**
 * Where the market's facts are read from: the market rules, the exchange calendars and the
 * charges schedules. A file under CONFIG_DIR wins; without one, the package's own `config/`
 * (shipped beside `src/` and `dist/`) holds the published figures, so a CONFIG_DIR that only
 * holds strategies and instruments still trades by the real rules.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's `config/` folder. */
export const PACKAGE_CONFIG_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'config',
);

/** `configDir/rel` when it exists, else the package's own `config/rel`. */
export function marketFilePath(configDir: string, rel: string): string {
  const own = join(configDir, rel);
  return existsSync(own) ? own : join(PACKAGE_CONFIG_DIR, rel);
}
