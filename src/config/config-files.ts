/** Loads the files under the config directory: instruments and strategies. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseInstrumentsCsv, type Instrument, type StrategyConfig } from '../model/index.js';
import { parseStrategiesYaml } from './strategies-file.js';
import { ConfigError } from '../runtime/index.js';

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `cannot read ${path}: ${(err as Error).message}; set CONFIG_DIR to the folder holding instruments.csv and strategies.yaml`,
    );
  }
}

export function loadInstruments(configDir: string): Instrument[] {
  const path = join(configDir, 'instruments.csv');
  try {
    return parseInstrumentsCsv(read(path), path);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError((err as Error).message);
  }
}

export function loadStrategies(configDir: string): StrategyConfig[] {
  const path = join(configDir, 'strategies.yaml');
  return parseStrategiesYaml(read(path), path);
}
