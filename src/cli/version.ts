/** The package's name, version and description, from package.json. */
import { readFileSync } from 'node:fs';

export interface PackageInfo {
  readonly name: string;
  readonly version: string;
  readonly description: string;
}

/**
 * Reads `<repo>/package.json`, found from this module so it holds for src/cli/version.ts and
 * dist/cli/version.js alike (both are two folders below the repository).
 */
export function packageInfo(): PackageInfo {
  const pkg = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  ) as Partial<PackageInfo>;
  return {
    name: String(pkg.name ?? 'alpha-panda'),
    version: String(pkg.version ?? 'unknown'),
    description: String(pkg.description ?? ''),
  };
}
