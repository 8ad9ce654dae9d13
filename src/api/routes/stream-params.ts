/**
 * The query parameters and Last-Event-ID of the SSE streams, checked with messages that name the
 * valid values.
 */
import { BROKERS } from '../../model/index.js';
import type { EventFilter } from '../../system/index.js';
import { ApiError } from '../api-error.js';

export const SCOPES: readonly string[] = [...BROKERS, 'shared', 'system'];
export const EVENT_PARAMS = [
  'type',
  'broker',
  'strategyId',
  'correlationId',
  'lastEventId',
] as const;
export const PORTFOLIO_PARAMS = ['broker', 'strategyId', 'lastEventId'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TYPE_NAME = /^[A-Z][A-Za-z0-9]*$/;

/** Query parameters, each once, all known; throws ApiError(400) naming the first that is not. */
export function queryOf(url: string, known: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of new URL(url).searchParams) {
    if (!known.includes(k))
      throw new ApiError(
        400,
        'UNKNOWN_QUERY_PARAMETER',
        `unknown query parameter ${JSON.stringify(k)}; the parameters are ${known.join(', ')}`,
      );
    if (out.has(k))
      throw new ApiError(
        400,
        'REPEATED_QUERY_PARAMETER',
        `query parameter ${JSON.stringify(k)} is given twice; give it once${k === 'type' ? ' (several types separated by commas)' : ''}`,
      );
    out.set(k, v);
  }
  return out;
}

/**
 * The seq to resume after: the Last-Event-ID header, else the `lastEventId` parameter; null for
 * neither. Throws ApiError 400 for one that is not a seq, 409 for one past the journal's `latest`.
 */
export function resumeSeq(
  header: string | undefined,
  query: string | undefined,
  latest: number,
): number | null {
  const raw = header ?? query;
  if (raw === undefined || raw === '') return null;
  const seq = /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(seq))
    throw new ApiError(
      400,
      'BAD_LAST_EVENT_ID',
      `Last-Event-ID ${JSON.stringify(raw)} is not a journal seq (a whole number ≥ 0); send the id of the last event received, or none to start from now`,
    );
  if (seq > latest)
    throw new ApiError(
      409,
      'LAST_EVENT_ID_AHEAD',
      `Last-Event-ID ${seq} is past the journal's last seq ${latest}: it comes from another journal; reconnect without it`,
    );
  return seq;
}

export function brokerOf(q: Map<string, string>, valid: readonly string[]): string | undefined {
  const b = q.get('broker');
  if (b !== undefined && !valid.includes(b))
    throw new ApiError(
      400,
      'UNKNOWN_BROKER',
      `broker ${JSON.stringify(b)} is not one of ${valid.join(', ')}`,
    );
  return b;
}

export function eventFilter(q: Map<string, string>): EventFilter {
  const types = q
    .get('type')
    ?.split(',')
    .map((t) => t.trim());
  for (const t of types ?? []) {
    if (!TYPE_NAME.test(t))
      throw new ApiError(
        400,
        'BAD_EVENT_TYPE',
        `type ${JSON.stringify(t)} is not a record type; give PascalCase names separated by commas, e.g. type=SignalRejected,OrderFilled`,
      );
    if (t === 'MarketTick')
      throw new ApiError(
        400,
        'BAD_EVENT_TYPE',
        'ticks are not on the event stream; leave MarketTick out of type',
      );
  }
  const correlationId = q.get('correlationId');
  if (correlationId !== undefined && !UUID.test(correlationId))
    throw new ApiError(
      400,
      'BAD_CORRELATION_ID',
      `correlationId ${JSON.stringify(correlationId)} is not a UUID; give an event's correlationId`,
    );
  const broker = brokerOf(q, SCOPES);
  const strategyId = q.get('strategyId');
  return {
    ...(types ? { types } : {}),
    ...(broker !== undefined ? { broker } : {}),
    ...(strategyId !== undefined ? { strategyId } : {}),
    ...(correlationId !== undefined ? { correlationId } : {}),
  };
}
