/** A strategy's configuration, as the files or Postgres give it and the strategy actor starts from. */
import type { BrokerName, InstrumentToken } from './ids.js';

export interface StrategyConfig {
  readonly id: string;
  readonly type: string;
  readonly params: Record<string, unknown>;
  readonly instruments: readonly InstrumentToken[];
  readonly brokers: readonly BrokerName[];
  readonly enabled: boolean;
}
