/**
 * The fake's login: request tokens from the auto-approved login page, access tokens from
 * POST /session/token (checksum sha256(api_key + request_token + api_secret)) or issueToken(),
 * and their expiry.
 */
import { createHash, randomBytes } from 'node:crypto';
import { tokenError } from './kite-error.js';

const fresh = (bytes: number): string => randomBytes(bytes).toString('hex');

export class Sessions {
  private readonly requestTokens = new Set<string>();
  private readonly accessTokens = new Set<string>();

  constructor(
    readonly apiKey: string,
    readonly apiSecret: string,
  ) {}

  /** A request token for the login redirect; it can be exchanged once. */
  newRequestToken(): string {
    const t = fresh(16);
    this.requestTokens.add(t);
    return t;
  }

  /** A valid access token. */
  issue(): string {
    const t = fresh(16);
    this.accessTokens.add(t);
    return t;
  }

  /** Exchanges a request token; throws TokenException for a bad checksum or an unknown or used token. */
  exchange(apiKey: string, requestToken: string, checksum: string): string {
    if (apiKey !== this.apiKey) throw tokenError('Invalid `api_key`.');
    if (!this.requestTokens.has(requestToken)) throw tokenError('Token is invalid or has expired.');
    const expected = createHash('sha256')
      .update(apiKey + requestToken + this.apiSecret)
      .digest('hex');
    if (checksum !== expected) throw tokenError('Invalid checksum.');
    this.requestTokens.delete(requestToken);
    return this.issue();
  }

  /** True when `apiKey:accessToken` is a live session. */
  valid(apiKey: string | undefined, accessToken: string | undefined): boolean {
    return (
      apiKey === this.apiKey && accessToken !== undefined && this.accessTokens.has(accessToken)
    );
  }

  /** Checks an `Authorization: token <api_key>:<access_token>` header; throws TokenException. */
  authorize(header: string | undefined): void {
    const m = /^token ([^:]+):(.+)$/.exec(header ?? '');
    if (m === null || !this.valid(m[1], m[2])) throw tokenError();
  }

  /** Every token issued so far stops working (request tokens too). */
  expireAll(): void {
    this.accessTokens.clear();
    this.requestTokens.clear();
  }
}
