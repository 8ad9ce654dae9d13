/**
 * What a start finds that the operator must hear of even though no record of it is journaled
 * from now on: a broker halted (by the journal's own halt, or a recovery that diverged) and a
 * strategy that did not start. A remote broker's gate that waits for its session, as it does at
 * every start, is not news.
 */
import type { TradingSystem } from '../trading-system.js';
import type { Notifier } from './start-notifications.js';

export function noticeStartState(notifier: Notifier, system: TradingSystem): void {
  const seq = system.bridge.lastSeq;
  const waitsForSession = (by: Readonly<Record<string, string>>) =>
    Object.keys(by).length > 0 && Object.keys(by).every((a) => a === 'broker');
  for (const b of system.brokerStatuses())
    if ((b.state === 'HALTED' && !waitsForSession(b.by)) || b.state === 'FAULTED')
      notifier.send({
        kind: 'halt',
        severity: 'critical',
        broker: b.broker,
        reason: `the daemon started with ${b.broker} ${b.state}: ${b.reason}`,
        seq,
      });
  for (const s of system.strategies())
    if (s.status === 'FAULTED')
      notifier.send({
        kind: 'fault',
        severity: 'critical',
        strategyId: s.id,
        actor: `strategy:${s.id}`,
        reason: `strategy ${s.id} did not start: ${s.error ?? 'unknown error'}`,
        seq,
      });
}
