/**
 * Which journaled records an operator is notified of, and how: trading halts and their end, the
 * kill switch, actor faults, loss limits, an expired broker session and a growing DLQ. One Map
 * lookup per record decides; every other record costs nothing more.
 */
import type {
  ActorFaulted,
  BrokerSessionChanged,
  DeadLettered,
  JournalRecord,
  KillSwitch,
  TradingStateChanged,
} from '../../model/index.js';
import type { NotificationDraft } from './notification.js';

/** How the risk gate's loss limits open the reason of the state change they make (loss-limits.ts). */
const LOSS_LIMIT_REASON = 'loss limit ';

type Rule = (rec: JournalRecord) => NotificationDraft | null;

/** The broker and strategy an actor id names (`portfolio:paper:s1`, `strategy:s1`, `trader:paper`). */
export function scopeOfActor(actorId: string): { broker?: string; strategyId?: string } {
  const colon = actorId.indexOf(':');
  if (colon < 0) return {};
  const kind = actorId.slice(0, colon);
  const rest = actorId.slice(colon + 1);
  switch (kind) {
    case 'strategy':
      return { strategyId: rest };
    case 'portfolio': {
      const sep = rest.indexOf(':');
      return sep < 0
        ? { broker: rest }
        : { broker: rest.slice(0, sep), strategyId: rest.slice(sep + 1) };
    }
    case 'risk-gate':
    case 'trader':
    case 'broker':
    case 'session':
      return { broker: rest };
    default:
      return {};
  }
}

/**
 * Turns live records into notification drafts. Stateful: it remembers the scopes it reported
 * restricted (so a resume is reported only after a halt or a loss limit), the last kill switch
 * (whose halts it announced already) and the dead letters per DLQ topic (reported on the 1st,
 * 2nd, 4th, 8th... of each topic, not one by one in a burst).
 */
export class RecordNotifications {
  private lastKillSeq = 0;
  /** `broker/strategyId` of the scopes reported halted or loss-limited and not yet resumed. */
  private readonly restricted = new Set<string>();
  private readonly deadLetters = new Map<string, number>();
  private readonly rules = new Map<string, Rule>([
    ['TradingStateChanged', (r) => this.tradingState(r as JournalRecord<TradingStateChanged>)],
    ['KillSwitch', (r) => this.killSwitch(r as JournalRecord<KillSwitch>)],
    ['ActorFaulted', (r) => this.faulted(r as JournalRecord<ActorFaulted>)],
    ['BrokerSessionChanged', (r) => this.session(r as JournalRecord<BrokerSessionChanged>)],
    ['DeadLettered', (r) => this.deadLettered(r as JournalRecord<DeadLettered>)],
  ]);

  /** The notification `rec` calls for, or null (most records). */
  of(rec: JournalRecord): NotificationDraft | null {
    const rule = this.rules.get(rec.type);
    return rule === undefined ? null : rule(rec);
  }

  private tradingState(rec: JournalRecord<TradingStateChanged>): NotificationDraft | null {
    const t = rec.data;
    const key = `${t.broker}/${t.strategyId ?? ''}`;
    const scope = {
      broker: t.broker,
      ...(t.strategyId === undefined ? {} : { strategyId: t.strategyId }),
    };
    // An input that caused the change directly (an operator's halt) is what the operator knows.
    const seq =
      rec.causationSeq > 0 && rec.causationSeq === rec.correlationSeq ? rec.causationSeq : rec.seq;
    if (t.to === 'ACTIVE') {
      const told = this.restricted.delete(key);
      if (!told && t.from !== 'HALTED') return null;
      return { kind: 'resume', severity: 'info', ...scope, reason: t.reason, seq };
    }
    if (this.lastKillSeq > 0 && rec.correlationSeq === this.lastKillSeq) {
      // The kill switch's own notification said so already.
      this.restricted.add(key);
      return null;
    }
    if (t.reason.startsWith(LOSS_LIMIT_REASON)) {
      this.restricted.add(key);
      const severity = t.to === 'HALTED' ? 'critical' : 'warning';
      return { kind: 'loss_limit', severity, ...scope, reason: t.reason, seq };
    }
    if (t.to !== 'HALTED') return null;
    this.restricted.add(key);
    return { kind: 'halt', severity: 'critical', ...scope, reason: t.reason, seq };
  }

  private killSwitch(rec: JournalRecord<KillSwitch>): NotificationDraft {
    this.lastKillSeq = rec.seq;
    return { kind: 'kill_switch', severity: 'critical', reason: rec.data.reason, seq: rec.seq };
  }

  private faulted(rec: JournalRecord<ActorFaulted>): NotificationDraft {
    const f = rec.data;
    return {
      kind: 'fault',
      severity: 'critical',
      ...scopeOfActor(f.actorId),
      actor: f.actorId,
      reason: f.error,
      seq: rec.seq,
    };
  }

  private session(rec: JournalRecord<BrokerSessionChanged>): NotificationDraft | null {
    const s = rec.data;
    if (s.state !== 'EXPIRED') return null;
    return {
      kind: 'session_expired',
      severity: 'critical',
      broker: s.broker,
      reason: s.reason,
      seq: rec.seq,
    };
  }

  private deadLettered(rec: JournalRecord<DeadLettered>): NotificationDraft | null {
    const n = (this.deadLetters.get(rec.topic) ?? 0) + 1;
    this.deadLetters.set(rec.topic, n);
    if ((n & (n - 1)) !== 0) return null;
    const d = rec.data;
    return {
      kind: 'dlq_growth',
      severity: 'warning',
      ...scopeOfActor(d.actorId),
      actor: d.actorId,
      reason: `${d.actorId} failed on ${d.originalType} seq ${d.originalSeq}: ${d.error.name}: ${d.error.message}`,
      seq: rec.seq,
      topic: rec.topic,
      count: n,
    };
  }
}
