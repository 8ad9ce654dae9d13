/**
 * What the daemon offers the trading routes of the API: each broker's trading state, operator
 * commands (halt, reduce-only, resume; per broker or strategy), the kill switch, and the orders
 * of the run with their fills (the in-process order read model, seeded with the orders a
 * recovery found open).
 */
import type { BrokerName, TradingCommand } from '../model/index.js';
import type { OrderFilter, OrderReadModel, OrderView } from '../readmodel/index.js';
import type { BrokerTradingStatus } from './tree-queries.js';
import type { TradingSystem } from './trading-system.js';

export interface TradingService {
  brokers(): readonly BrokerTradingStatus[];
  /** Journals the command; returns its seq. */
  command(cmd: TradingCommand, source?: string): number;
  /** Journals the kill switch; returns its seq. */
  kill(reason: string, source?: string): number;
  orders(filter: OrderFilter): readonly OrderView[];
  strategyIds(): readonly string[];
}

/**
 * The service over `system`, its orders from `orders` (the in-process read model's). `remote`
 * adds what a remote broker's link knows (Zerodha: its Kite session, the registered static IP).
 */
export function tradingService(
  system: TradingSystem,
  orders: OrderReadModel,
  remote: Partial<Record<BrokerName, () => Readonly<Record<string, unknown>>>> = {},
): TradingService {
  return {
    brokers: () =>
      system.brokerStatuses().map((b) => {
        const link = remote[b.broker];
        return link ? { ...b, link: link() } : b;
      }),
    command: (cmd, source = 'operator') => system.commands.trading(cmd, source),
    kill: (reason, source = 'operator') => system.commands.kill(reason, source),
    orders: (f) => orders.list(f),
    strategyIds: () => system.strategies().map((s) => s.id),
  };
}
