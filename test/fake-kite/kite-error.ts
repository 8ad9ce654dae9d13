/**
 * Kite's error envelope: one error class the routes throw and one writer that turns it into
 * `{"status":"error","message","error_type","data":null}` with its HTTP status.
 */

/** An error Kite answers with: HTTP status, Kite's `error_type`, and a message. */
export class KiteError extends Error {
  override readonly name = 'KiteError';
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

/** 400 InputException: Kite refused the request's parameters; nothing was created. */
export function inputError(message: string): KiteError {
  return new KiteError(400, 'InputException', message);
}

/** 403 TokenException: the session is missing, unknown or expired. */
export function tokenError(message = 'Incorrect `api_key` or `access_token`.'): KiteError {
  return new KiteError(403, 'TokenException', message);
}

/** The JSON body of an error answer. */
export function errorBody(e: KiteError): string {
  return JSON.stringify({
    status: 'error',
    message: e.message,
    error_type: e.errorType,
    data: null,
  });
}
