/** Reads Zerodha's equity charges from `config/charges/zerodha-equity.yaml`, strictly. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ZerodhaRates } from '../model/index.js';
import { ConfigError } from '../runtime/index.js';
import { marketFilePath } from './market-files.js';
import { unknownNames } from './nearest.js';
import { schemaKeysAt } from './yaml-file.js';

/** The charges file: under CONFIG_DIR when it has one, else the package's own. */
export function zerodhaRatesPath(configDir: string): string {
  return marketFilePath(configDir, join('charges', 'zerodha-equity.yaml'));
}

/** An integer field from 0 to `max` in `unit`, whose messages say what was received. */
function count(max: number, unit: string) {
  const range = `an integer from 0 to ${max} (${unit})`;
  const error = (issue: { input?: unknown }): string =>
    issue.input === undefined
      ? `missing; expected ${range}`
      : `expected ${range}, received ${JSON.stringify(issue.input)}`;
  return z.number({ error }).int({ error }).min(0, { error }).max(max, { error });
}

const text = (what: string) => {
  const error = (issue: { input?: unknown }): string =>
    issue.input === undefined ? `missing; expected ${what}` : `expected ${what}`;
  return z.string({ error }).min(1, { error });
};

// 10^7 rupees per crore is 100% of the turnover; no charge is more.
const perCrore = count(10_000_000, 'rupees per crore of turnover; 0.1% is 10000');
const fixedPaise = count(100_000_000, 'paise');

/** A mapping of exactly `shape`'s keys; a missing or non-mapping value names them. */
function mapping<T extends z.core.$ZodLooseShape>(shape: T) {
  const keys = `a mapping of ${Object.keys(shape).join(', ')}`;
  return z.strictObject(shape, {
    error: (i) => (i.input === undefined ? `missing; expected ${keys}` : `expected ${keys}`),
  });
}

const SourceSchema = mapping({
  page: text('the address of the published charges page'),
  section: text('the section of the page the rates are from'),
  // YAML reads an unquoted 2026 as a number; either spelling means the same date.
  as_of: z
    .union([z.string().min(1), z.number().int()], {
      error: (i) =>
        `${i.input === undefined ? 'missing; ' : ''}expected when the rates were read, e.g. '2026'`,
    })
    .transform(String),
  note: text('what is and is not verified'),
});

const ProductSchema = mapping({
  brokerage_per_crore: perCrore,
  brokerage_cap_paise: fixedPaise,
  stt_buy_per_crore: perCrore,
  stt_sell_per_crore: perCrore,
  stamp_duty_buy_per_crore: perCrore,
});

const FileSchema = mapping({
  source: SourceSchema,
  CNC: ProductSchema,
  MIS: ProductSchema,
  nse_transaction_per_crore: perCrore,
  sebi_per_crore: perCrore,
  gst_percent: count(100, 'percent'),
  dp_charge_paise: fixedPaise,
});

/**
 * Parses the charges file's text (`source` names it in messages). Throws ConfigError naming the
 * file and each bad field (`MIS.brokerage_cap_paise: expected an integer ...`), and each unknown
 * field with the nearest valid one.
 */
export function parseZerodhaRatesYaml(
  yamlText: string,
  source = 'charges/zerodha-equity.yaml',
): ZerodhaRates {
  let doc: unknown;
  try {
    doc = parseYaml(yamlText);
  } catch (err) {
    throw new ConfigError(`${source}: not valid YAML: ${String(err)}`);
  }
  const parsed = FileSchema.safeParse(doc);
  if (!parsed.success) {
    // Unknown fields first: a misspelled one is also reported as the missing field it meant. A
    // field named without its unit suffix (`brokerage_cap`) is taken as an abbreviation.
    const issues = [...parsed.error.issues].sort(
      (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
    );
    const what = issues.map((i) => {
      const at = i.path.map(String).join('.');
      const message =
        i.code === 'unrecognized_keys'
          ? unknownNames(i.keys, schemaKeysAt(FileSchema, i.path), 'field', { abbreviations: true })
          : i.message;
      return at === '' ? message : `${at}: ${message}`;
    });
    throw new ConfigError(`${source}: ${what.join('; ')}`);
  }
  const f = parsed.data;
  const rates = (p: z.infer<typeof ProductSchema>) => ({
    brokeragePerCrore: p.brokerage_per_crore,
    brokerageCapPaise: p.brokerage_cap_paise,
    sttBuyPerCrore: p.stt_buy_per_crore,
    sttSellPerCrore: p.stt_sell_per_crore,
    stampDutyBuyPerCrore: p.stamp_duty_buy_per_crore,
  });
  return {
    source: {
      page: f.source.page,
      section: f.source.section,
      asOf: f.source.as_of,
      note: f.source.note,
    },
    CNC: rates(f.CNC),
    MIS: rates(f.MIS),
    nseTransactionPerCrore: f.nse_transaction_per_crore,
    sebiPerCrore: f.sebi_per_crore,
    gstPercent: f.gst_percent,
    dpChargePaise: f.dp_charge_paise,
  };
}

/**
 * Reads Zerodha's equity charges from the YAML file at `path`. Throws ConfigError naming the
 * file when it cannot be read, and the file and field when a field is missing, unknown or bad.
 */
export function loadZerodhaRates(path: string): ZerodhaRates {
  let yamlText: string;
  try {
    yamlText = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `cannot read the charges file ${path}: ${(err as Error).message}; set CONFIG_DIR to the folder holding charges/zerodha-equity.yaml, or PAPER_TRADING__CHARGES_MODEL=flat`,
    );
  }
  return parseZerodhaRatesYaml(yamlText, path);
}
