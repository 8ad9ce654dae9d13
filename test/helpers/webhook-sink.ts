/**
 * A loopback webhook sink for notification tests: a node:http server on 127.0.0.1 (a free port)
 * that records each request's path, headers and JSON body, and can be told to fail the next
 * requests (500, or any status with headers) or to hang (never answer until closed).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';

export interface SinkRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body parsed as JSON (the raw text when it is not JSON). */
  readonly body: unknown;
  /** What the sink answered; 0 for a request it left hanging. */
  readonly status: number;
  /** When it arrived, epoch ms (the test's wall clock). */
  readonly receivedMs: number;
}

export interface WebhookSink {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** Every request so far, in arrival order, whatever it was answered. */
  readonly requests: readonly SinkRequest[];
  /** The requests answered 2xx: what was delivered. */
  delivered(): SinkRequest[];
  /** Answers the next `n` requests with `status` (default 500) and `headers`. */
  failNext(n: number, status?: number, headers?: Record<string, string>): void;
  /** While on, requests are recorded and never answered (until `hang(false)` or close). */
  hang(on: boolean): void;
  /** Polls the requests until `pick` returns a value, or rejects after `timeoutMs`. */
  waitFor<T>(
    pick: (requests: readonly SinkRequest[]) => T | undefined,
    timeoutMs: number,
    what: string,
  ): Promise<T>;
  close(): Promise<void>;
}

export async function startWebhookSink(): Promise<WebhookSink> {
  const requests: SinkRequest[] = [];
  const failures: { status: number; headers: Record<string, string> }[] = [];
  const hung: ServerResponse[] = [];
  let hanging = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text
      }
      const failure = hanging ? undefined : failures.shift();
      const status = hanging ? 0 : (failure?.status ?? 200);
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        status,
        receivedMs: Date.now(),
      });
      if (hanging) {
        hung.push(res);
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json', ...failure?.headers });
      res.end(status < 300 ? '{"ok":true}' : '{"ok":false,"description":"failing on purpose"}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    delivered: () => requests.filter((r) => r.status >= 200 && r.status < 300),
    failNext(n, status = 500, headers = {}) {
      for (let i = 0; i < n; i++) failures.push({ status, headers });
    },
    hang(on) {
      hanging = on;
    },
    async waitFor(pick, timeoutMs, what) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const v = pick(requests);
        if (v !== undefined) return v;
        if (performance.now() >= deadline)
          throw new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; the sink got ${JSON.stringify(requests.map((r) => r.body))}`,
          );
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      for (const res of hung.splice(0)) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
