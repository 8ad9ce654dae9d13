/**
 * The trading log of a live system: one line per order, fill, rejection, trading state change,
 * restart, fault and dead letter, each from the logger of the actor it is about.
 */
import type { Logger } from 'pino';
import type {
  ActorFaulted,
  ActorRestarted,
  DeadLettered,
  JournalRecord,
  OrderAccepted,
  OrderCanceled,
  OrderFilled,
  OrderRejected,
  SignalRejected,
  SignalValidated,
  SubmitOrder,
  TradingSignal,
  TradingState,
  TradingStateChanged,
} from '../model/index.js';
import { recordId } from '../runtime/index.js';
import type { TradingSystem } from './trading-system.js';

type Level = 'debug' | 'info' | 'warn';

interface Line {
  readonly msg: string;
  readonly fields: Readonly<Record<string, unknown>>;
  /** The actor the line is about, when not the record's source (a supervisor's report). */
  readonly actor?: string;
}

// Instruments are logged as `instrument`: `token` is a secret's key to the redaction.
const orderOf = (o: SubmitOrder | OrderFilled | OrderRejected | OrderAccepted | OrderCanceled) => ({
  broker: o.broker,
  strategyId: o.strategyId,
  instrument: o.token,
  clientOrderId: o.clientOrderId,
});
const signalOf = (s: TradingSignal) => ({
  broker: s.broker,
  strategyId: s.strategyId,
  instrument: s.token,
  side: s.side,
  quantity: s.quantity,
  pricePaise: s.price,
});

const TRADING_STATE_MESSAGES: Readonly<Record<TradingState, string>> = {
  HALTED: 'trading halted',
  ACTIVE: 'trading resumed',
  REDUCING: 'trading limited to reducing positions',
};

/** The level of each logged record type, and its line from its data. */
const LINES = new Map<string, readonly [Level, (data: never) => Line]>(
  Object.entries({
    TradingSignal: [
      'debug',
      (s: TradingSignal) => ({
        msg: 'signal',
        fields: { ...signalOf(s), confidence: s.confidence },
      }),
    ],
    SignalValidated: [
      'debug',
      (v: SignalValidated) => ({
        msg: 'signal validated',
        fields: signalOf(v.signal),
      }),
    ],
    SignalRejected: [
      'info',
      (r: SignalRejected) => ({
        msg: 'signal rejected',
        fields: { code: r.code, detail: r.detail, ...signalOf(r.signal) },
      }),
    ],
    SubmitOrder: [
      'info',
      (o: SubmitOrder) => ({
        msg: 'order submitted',
        fields: { ...orderOf(o), side: o.side, quantity: o.quantity, pricePaise: o.price },
      }),
    ],
    OrderAccepted: [
      'debug',
      (o: OrderAccepted) => ({
        msg: 'order accepted',
        fields: { ...orderOf(o), brokerOrderId: o.brokerOrderId },
      }),
    ],
    OrderFilled: [
      'info',
      (f: OrderFilled) => ({
        msg: 'order filled',
        fields: {
          ...orderOf(f),
          side: f.side,
          quantity: f.quantity,
          pricePaise: f.price,
          feesPaise: f.fees,
          slippagePaise: f.slippage,
        },
      }),
    ],
    OrderRejected: [
      'info',
      (r: OrderRejected) => ({
        msg: 'order rejected',
        fields: {
          code: r.code,
          detail: r.detail,
          ...orderOf(r),
          side: r.side,
          quantity: r.quantity,
        },
      }),
    ],
    OrderCanceled: [
      'info',
      (c: OrderCanceled) => ({
        msg: 'order canceled',
        fields: { ...orderOf(c), reason: c.reason },
      }),
    ],
    TradingStateChanged: [
      'info',
      (t: TradingStateChanged) => ({
        msg: TRADING_STATE_MESSAGES[t.to],
        fields: { broker: t.broker, from: t.from, to: t.to, reason: t.reason },
      }),
    ],
    ActorRestarted: [
      'info',
      (r: ActorRestarted) => ({
        msg: 'actor restarted',
        fields: { restarts: r.restarts, error: r.error },
        actor: r.actorId,
      }),
    ],
    ActorFaulted: [
      'info',
      (f: ActorFaulted) => ({
        msg: 'actor faulted',
        fields: { restarts: f.restarts, error: f.error },
        actor: f.actorId,
      }),
    ],
    DeadLettered: [
      'warn',
      (d: DeadLettered) => ({
        msg: 'message dead-lettered',
        fields: {
          originalTopic: d.originalTopic,
          originalSeq: d.originalSeq,
          originalType: d.originalType,
          error: d.error.message,
        },
        actor: d.actorId,
      }),
    ],
  } satisfies Record<string, readonly [Level, (data: never) => Line]>),
);

/**
 * Logs the system's trading events from now on, through a child of `log` per actor (`actor:
 * 'trader:paper'`), each line with the record's `seq`, `correlationSeq` and `correlationId` (the
 * envelope's). Call it once the system is open: what recovery replays is not logged, and replay
 * and backtest never call it. Ticks are never seen (the switchboard's tap skips them).
 */
export function logTradingEvents(system: TradingSystem, log: Logger): void {
  const children = new Map<string, Logger>();
  const actorLog = (id: string): Logger => {
    let child = children.get(id);
    if (child === undefined) {
      child = log.child({ actor: id });
      children.set(id, child);
    }
    return child;
  };
  system.switchboard.tap((rec: JournalRecord) => {
    const entry = LINES.get(rec.type);
    if (entry === undefined || !log.isLevelEnabled(entry[0])) return;
    const [level, lineOf] = entry;
    const line = lineOf(rec.data as never);
    actorLog(line.actor ?? rec.source)[level](
      {
        seq: rec.seq,
        correlationSeq: rec.correlationSeq,
        correlationId: recordId(system.meta, rec.correlationSeq),
        ...line.fields,
      },
      line.msg,
    );
  });
}
