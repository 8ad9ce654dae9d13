/**
 * Connects the switchboard to the supervision tree: every actor id to a lookup of its current ref
 * (it changes on each restart), each strategy and portfolio to the ticks of its instruments, each
 * risk gate to every tick, and each broker's adapter to its order hop.
 */
import type { AnyActorRef } from 'xstate';
import type { StrategyConfig } from '../model/index.js';
import { actorIds, childOf, type Switchboard } from '../runtime/index.js';
import { brokerSupervisor, STRATEGIES, type SystemTree } from './system-tree.js';
import type { BrokerSetup } from './trading-system.js';
import type { PortfolioContext } from '../actors/index.js';

/** Whether a portfolio holds a position in any instrument. */
function holdsAny(c: PortfolioContext): boolean {
  const holdings = c.holdings;
  for (const token in holdings) if (holdings[token]!.quantity !== 0) return true;
  return false;
}

export function wireTree(
  sb: Switchboard,
  root: AnyActorRef,
  tree: SystemTree,
  strategies: readonly StrategyConfig[],
  brokers: readonly BrokerSetup[],
): void {
  const sub = (supId: string) => () => childOf(root, supId);
  sb.register('supervisor:root', () => root);
  sb.register(STRATEGIES, sub(STRATEGIES));
  for (const spec of tree.strategyChildren) {
    sb.register(spec.id, () => {
      const s = childOf(root, STRATEGIES);
      return s && childOf(s, spec.id);
    });
    const cfg = strategies.find((c) => actorIds.strategy(c.id) === spec.id)!;
    sb.subscribeTicks(spec.id, cfg.instruments);
  }
  for (const b of brokers) {
    const supId = brokerSupervisor(b.name);
    sb.register(supId, sub(supId));
    const inBroker = (id: string) => () => {
      const s = childOf(root, supId);
      return s && childOf(s, id);
    };
    sb.register(actorIds.riskGate(b.name), inBroker(actorIds.riskGate(b.name)));
    sb.register(actorIds.trader(b.name), inBroker(actorIds.trader(b.name)));
    sb.subscribeTicks(actorIds.riskGate(b.name), null);
    for (const p of tree.portfolioSpecs.get(b.name) ?? []) {
      const ref = inBroker(p.id);
      sb.register(p.id, ref);
      const cfg = strategies.find((c) => actorIds.portfolio(b.name, c.id) === p.id)!;
      // Ticks only mark open positions: a portfolio holding nothing is not sent them.
      sb.subscribeTicks(p.id, cfg.instruments, () => {
        const snap = ref()?.getSnapshot();
        return snap?.status !== 'active' || holdsAny(snap.context as PortfolioContext);
      });
    }
    sb.connectBroker(b.name, b.adapter);
  }
}
