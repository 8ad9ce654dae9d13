/**
 * Types for the one kiteconnect file we load: its CommonJS REST client. The package's own types
 * (node_modules/kiteconnect/types) describe the package index, which also loads KiteTicker (it
 * calls process.exit), and no `.d.ts` sits beside dist/lib/connect.js, so this declares only what
 * src/brokers/zerodha/http.ts uses. Answers are `unknown`: parse.ts checks them.
 */
declare module 'kiteconnect/dist/lib/connect.js' {
  /** What axios hands a response interceptor. */
  export interface KiteHttpResponse {
    status: number;
    statusText: string;
    headers: Record<string, unknown>;
    data: unknown;
  }

  /** One axios response interceptor, as stored in `interceptors.response.handlers`. */
  export interface KiteResponseHandler {
    fulfilled?: ((r: KiteHttpResponse) => unknown) | null;
    rejected?: ((e: unknown) => unknown) | null;
  }

  export interface KiteResponseInterceptors {
    /** Run in array order; axios tolerates replacing the array. */
    handlers: (KiteResponseHandler | null)[] | null;
    use(fulfilled: (r: KiteHttpResponse) => unknown, rejected: (e: unknown) => unknown): number;
  }

  export type KiteParams = Record<string, string | number>;

  export class KiteConnect {
    constructor(params: {
      api_key: string;
      access_token?: string | null;
      root?: string;
      timeout?: number;
      debug?: boolean;
    });
    requestInstance: { interceptors: { response: KiteResponseInterceptors } };
    /** Turns timestamp strings of orders and trades into Dates; an instance property may replace it. */
    formatResponse: (data: unknown) => unknown;
    /** Turns the instruments CSV into objects; an instance property may replace it. */
    transformInstrumentsResponse: (data: unknown, headers: unknown) => unknown;
    setAccessToken(accessToken: string | null): void;
    getLoginURL(): string;
    generateSession(requestToken: string, apiSecret: string): Promise<unknown>;
    getProfile(): Promise<unknown>;
    placeOrder(variety: string, params: KiteParams): Promise<unknown>;
    modifyOrder(variety: string, orderId: string, params: KiteParams): Promise<unknown>;
    cancelOrder(variety: string, orderId: string, params?: KiteParams): Promise<unknown>;
    getOrders(): Promise<unknown>;
    getOrderHistory(orderId: string): Promise<unknown>;
    getOrderTrades(orderId: string): Promise<unknown>;
    getTrades(): Promise<unknown>;
    getPositions(): Promise<unknown>;
    getHoldings(): Promise<unknown>;
    getInstruments(exchange?: string): Promise<unknown>;
  }
}
