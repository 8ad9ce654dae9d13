/** A notification: what an operator is told of a halt, a fault or a loss limit, and its one-line text. */

export type NotificationKind =
  'halt' | 'resume' | 'kill_switch' | 'fault' | 'loss_limit' | 'session_expired' | 'dlq_growth';

export type NotificationSeverity = 'critical' | 'warning' | 'info';

/** What the generic webhook receives as its JSON body; Slack and Telegram get `notificationText`. */
export interface Notification {
  readonly kind: NotificationKind;
  readonly severity: NotificationSeverity;
  readonly broker?: string;
  readonly strategyId?: string;
  /** The actor it is about (`strategy:<id>`, `risk-gate:<broker>`), for faults and dead letters. */
  readonly actor?: string;
  readonly reason: string;
  /**
   * The journal record to look up: for a trading state change that an input caused directly (an
   * operator's halt or resume, a session or journal halt) that input's seq, which the API answered;
   * otherwise the seq of the record announcing it (ActorFaulted, KillSwitch, DeadLettered, ...).
   */
  readonly seq: number;
  /** When it was noticed, ISO-8601 (wall clock). */
  readonly at: string;
  /** The envelope id of the input that started the record's chain. */
  readonly correlationId?: string;
  /** Which daemon sent it (its name or host), when configured. */
  readonly instance?: string;
  /** dlq_growth only: the dead-letter topic and its dead letters since the process started. */
  readonly topic?: string;
  readonly count?: number;
}

/** A notification as the records give it: the sender adds `at`, `correlationId` and `instance`. */
export type NotificationDraft = Omit<Notification, 'at' | 'correlationId' | 'instance'>;

/** Telegram refuses longer messages (4096 characters); Slack folds long ones. */
const MAX_TEXT = 3500;

const HEADLINES: Readonly<Record<NotificationKind, string>> = {
  halt: 'trading halted',
  resume: 'trading resumed',
  kill_switch: 'KILL SWITCH',
  fault: 'actor faulted',
  loss_limit: 'loss limit breached',
  session_expired: 'broker session expired',
  dlq_growth: 'dead letters growing',
};

/**
 * One readable line with the notification's facts: severity, what happened, where, the reason,
 * the seq and the time, e.g. `[CRITICAL] trading halted: broker paper: manual review (seq 42,
 * 2026-01-05T03:45:00.000Z)`.
 */
export function notificationText(n: Notification): string {
  const where: string[] = [];
  if (n.broker !== undefined) where.push(`broker ${n.broker}`);
  if (n.strategyId !== undefined) where.push(`strategy ${n.strategyId}`);
  if (n.actor !== undefined) where.push(`actor ${n.actor}`);
  if (n.topic !== undefined) where.push(`topic ${n.topic}`);
  const facts = [`seq ${n.seq}`, n.at];
  if (n.count !== undefined) facts.unshift(`${n.count} dead letters`);
  if (n.instance !== undefined) facts.push(n.instance);
  const head = `[${n.severity.toUpperCase()}] ${HEADLINES[n.kind]}${where.length > 0 ? ` (${where.join(', ')})` : ''}`;
  const tail = ` (${facts.join(', ')})`;
  const room = MAX_TEXT - head.length - tail.length - 2;
  const reason = n.reason.length > room ? `${n.reason.slice(0, Math.max(0, room - 1))}…` : n.reason;
  return `${head}: ${reason}${tail}`;
}
