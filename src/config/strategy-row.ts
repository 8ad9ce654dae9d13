/** A row of the strategy_configurations table, checked as an entry of strategies.yaml is. */
import { StrategyFileEntry, type StrategyFileConfig } from './strategies-file.js';
import { unknownParameters } from './strategy-params.js';

export type RowResult = { ok: true; value: StrategyFileConfig } | { ok: false; error: string };

/**
 * Checks a strategy_configurations row with the schema strategies.yaml entries go through, and
 * its parameter names against its type's. The error names the row and says how to correct it.
 */
export function parseStrategyRow(row: Record<string, unknown>): RowResult {
  const refuse = (what: string): RowResult => ({
    ok: false,
    error: `strategy_configurations row "${String(row.id)}": ${what}; correct the row with UPDATE`,
  });
  const e = StrategyFileEntry.safeParse(row);
  if (!e.success)
    return refuse(
      e.error.issues.map((x) => `${x.path.join('.') || '(row)'}: ${x.message}`).join('; '),
    );
  const unknown = unknownParameters(e.data.type, e.data.parameters);
  if (unknown !== null) return refuse(`parameters: ${unknown}`);
  const { parameters, ...rest } = e.data;
  return { ok: true, value: { ...rest, params: parameters } };
}
