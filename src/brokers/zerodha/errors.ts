/**
 * Kite Connect failures and what they mean for us: one table from (HTTP status, Kite's
 * `error_type`, message) to a disposition, and the one error class every Kite call rejects with.
 *
 * Source: Kite Connect v3 documentation, "Exceptions and errors"
 * (https://kite.trade/docs/connect/v3/exceptions/). Kite answers a failure with
 * `{"status":"error","message":"...","error_type":"TokenException"}` and an HTTP status:
 * 400 bad parameters, 403 session expired or permission denied, 429 too many requests,
 * 500 unexpected, 502 the order management system (OMS) is down, 503 unavailable, 504 timeout.
 * Its error types: TokenException (session expired or invalidated: log in again),
 * PermissionException (not allowed, e.g. from an IP outside the app's whitelist), InputException
 * (missing or bad parameters), OrderException (order placement or change failed),
 * MarginException (insufficient funds), HoldingException (insufficient holdings),
 * NetworkException (Kite could not talk to the OMS), DataException (Kite could not read the OMS's
 * answer), GeneralException (unclassified).
 */

/**
 * What a failed Kite call means for the caller:
 * - `token-expired`: the session is gone; nothing was done; log in again.
 * - `rejected`: Kite refused the request; nothing was done; retrying unchanged fails again.
 * - `rate-limited`: refused for rate; nothing was done; retry after a pause.
 * - `ip-not-allowed`: the request came from an IP address the app does not allow; nothing was done.
 * - `ambiguous`: we cannot know whether it happened (a timeout, no answer, a 5xx, an unreadable
 *   answer): for a write, reconcile against the order book before doing anything else.
 */
export type KiteDisposition =
  'token-expired' | 'rejected' | 'rate-limited' | 'ip-not-allowed' | 'ambiguous';

/** One failed call as we observed it: `status` is null when no HTTP answer arrived. */
export interface KiteFailure {
  readonly status: number | null;
  /** Kite's `error_type`, or 'NetworkException' when the answer was not Kite's JSON. */
  readonly errorType?: string;
  /** Kite's own message, or the HTTP status text, or the network error's text. */
  readonly message?: string;
  /** Node's or axios's code for a failure without an answer: ECONNABORTED, ETIMEDOUT, ECONNRESET. */
  readonly networkCode?: string;
}

/** A row of the table: every given condition must hold; the first matching row wins. */
export interface KiteErrorRow {
  /** An HTTP status, '5xx' for 500-599, 'none' for no answer, 'any' for every status. */
  readonly status: number | '5xx' | 'none' | 'any';
  /** Kite error types the row applies to, or 'any'. */
  readonly errorTypes: readonly string[] | 'any';
  /** A pattern Kite's message must match. */
  readonly message?: RegExp;
  readonly disposition: KiteDisposition;
  /** What it means for the operator, in their words. */
  readonly meaning: string;
}

const NOTHING_DONE = 'nothing was done';
const UNKNOWN_OUTCOME =
  'the outcome is unknown: if this was an order placement, modification or cancellation, it may or may not have happened; check the order book before retrying';

/** Kite failures to dispositions, in order; a failure no row matches is `ambiguous`. */
export const KITE_ERROR_TABLE = [
  {
    status: 403,
    errorTypes: ['TokenException'],
    disposition: 'token-expired',
    meaning: `the Kite session has expired or was invalidated (${NOTHING_DONE}): log in to Kite again to get a new access token`,
  },
  {
    status: 403,
    errorTypes: ['PermissionException'],
    message: /\bIP\b/i,
    disposition: 'ip-not-allowed',
    meaning: `Kite refused a request from this machine's IP address (${NOTHING_DONE}): add the IP to the app's allowed IPs in the Kite developer console`,
  },
  {
    status: 403,
    errorTypes: ['PermissionException'],
    disposition: 'rejected',
    meaning: `Kite does not permit this call for this account or app (${NOTHING_DONE})`,
  },
  {
    status: 400,
    errorTypes: ['InputException', 'OrderException', 'MarginException', 'HoldingException'],
    disposition: 'rejected',
    meaning: `Kite rejected the request (${NOTHING_DONE}): retrying it unchanged fails again`,
  },
  {
    status: 429,
    errorTypes: 'any',
    disposition: 'rate-limited',
    meaning: `Kite's rate limit was exceeded (${NOTHING_DONE}): retry after a pause`,
  },
  {
    status: '5xx',
    errorTypes: 'any',
    disposition: 'ambiguous',
    meaning: `Kite or its order management system failed; ${UNKNOWN_OUTCOME}`,
  },
  {
    // Ours, not Kite's: KiteRest refused to send a malformed request (a non-integer price, an
    // order id that is not alphanumeric). Kite would answer such a request with InputException.
    status: 'none',
    errorTypes: ['InputException'],
    disposition: 'rejected',
    meaning: `this client refused to send a malformed request (${NOTHING_DONE}): the calling code must be fixed`,
  },
  {
    status: 'none',
    errorTypes: 'any',
    disposition: 'ambiguous',
    meaning: `no answer came from Kite (a timeout or a dropped connection); ${UNKNOWN_OUTCOME}`,
  },
  {
    status: 'any',
    errorTypes: ['NetworkException', 'DataException', 'GeneralException'],
    disposition: 'ambiguous',
    meaning: `Kite could not complete the call with its order management system; ${UNKNOWN_OUTCOME}`,
  },
] as const satisfies readonly KiteErrorRow[];

const UNKNOWN_ROW: KiteErrorRow = {
  status: 'any',
  errorTypes: 'any',
  disposition: 'ambiguous',
  meaning: `Kite answered with a failure this client does not know; ${UNKNOWN_OUTCOME}`,
};

function matches(row: KiteErrorRow, f: KiteFailure): boolean {
  const s = row.status;
  if (s === 'none' && f.status !== null) return false;
  if (s === '5xx' && (f.status === null || f.status < 500 || f.status > 599)) return false;
  if (typeof s === 'number' && f.status !== s) return false;
  if (row.errorTypes !== 'any' && !row.errorTypes.includes(f.errorType ?? '')) return false;
  return row.message === undefined || row.message.test(f.message ?? '');
}

/** Returns the table row a failure falls under (the catch-all `ambiguous` row when none does). */
export function kiteErrorRowOf(f: KiteFailure): KiteErrorRow {
  return KITE_ERROR_TABLE.find((row: KiteErrorRow) => matches(row, f)) ?? UNKNOWN_ROW;
}

/** Returns what a failed Kite call means for the caller, by KITE_ERROR_TABLE. */
export function classifyKiteError(f: KiteFailure): KiteDisposition {
  return kiteErrorRowOf(f).disposition;
}

/** Describes what was observed: `HTTP 403 TokenException: "Token is invalid or has expired."`. */
function observed(f: KiteFailure): string {
  const what =
    f.status === null ? `no HTTP answer (${f.networkCode ?? 'no code'})` : `HTTP ${f.status}`;
  const type = f.errorType === undefined ? '' : ` ${f.errorType}`;
  const text = f.message === undefined || f.message === '' ? '' : `: ${JSON.stringify(f.message)}`;
  return `${what}${type}${text}`;
}

/**
 * A failed Kite call: every KiteRest method rejects with one. `disposition` says what the caller
 * may conclude (see KiteDisposition); the message says what happened and what to do.
 */
export class KiteError extends Error {
  override readonly name = 'KiteError';
  readonly disposition: KiteDisposition;
  /** The HTTP status, or null when no answer arrived. */
  readonly status: number | null;
  /** Kite's `error_type`, or 'NetworkException' when the answer was not Kite's JSON or never came. */
  readonly errorType: string;
  /** Kite's own message, as received (the HTTP status text when the body was not Kite's). */
  readonly kiteMessage: string;
  /** ECONNABORTED, ETIMEDOUT, ECONNRESET... when no answer arrived. */
  readonly networkCode: string | null;

  /** `operation` names the call, e.g. 'POST /orders/regular'. */
  constructor(f: KiteFailure, operation = 'Kite call', options: { cause?: unknown } = {}) {
    const failure = { ...f, errorType: f.errorType ?? 'NetworkException' };
    const row = kiteErrorRowOf(failure);
    super(
      `${operation}: ${row.meaning} (${observed(failure)})`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.disposition = row.disposition;
    this.status = f.status;
    this.errorType = failure.errorType;
    this.kiteMessage = f.message ?? '';
    this.networkCode = f.networkCode ?? null;
  }
}

/** `err` as a KiteError: itself, or (anything else thrown) an ambiguous GeneralException. */
export function kiteErrorOf(err: unknown): KiteError {
  if (err instanceof KiteError) return err;
  return new KiteError({ status: null, errorType: 'GeneralException', message: String(err) });
}
