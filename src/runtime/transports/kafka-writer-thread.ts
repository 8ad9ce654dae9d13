/**
 * The main thread's side of the Kafka writer (kafka-writer.ts): starts the worker, matches
 * replies to requests, and keeps the process alive only while a request is outstanding (a write
 * in flight must finish; an idle journal must not hold the process open).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WriterConfig, WriterReply, WriterRequest } from './kafka-writer.js';

/** The reply to a request made when no writer thread runs. */
export function notRunning(id: number): WriterReply {
  return {
    id,
    ok: false,
    error: { name: 'JournalError', message: 'the Kafka writer is not running', fenced: false },
  };
}

export class WriterThread {
  private worker: Worker | null;
  private readonly pending = new Map<number, (r: WriterReply) => void>();

  constructor(config: WriterConfig) {
    // From dist/ the worker is plain JavaScript. From src/ (tests run TypeScript) it first
    // registers the TypeScript loader, which workers do not inherit.
    const url = new URL(
      import.meta.url.endsWith('.ts') ? './kafka-writer.ts' : './kafka-writer.js',
      import.meta.url,
    );
    const tsx = () =>
      pathToFileURL(
        createRequire(import.meta.url)
          .resolve('tsx/esm/api')
          .replace(/\.cjs$/, '.mjs'),
      ).href;
    const worker = url.pathname.endsWith('.ts')
      ? new Worker(
          `import(${JSON.stringify(tsx())}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`,
          { eval: true, workerData: config },
        )
      : new Worker(url, { workerData: config });
    worker.on('message', (reply: WriterReply) => {
      const resolve = this.pending.get(reply.id);
      if (resolve) {
        this.pending.delete(reply.id);
        if (this.pending.size === 0) worker.unref();
        resolve(reply);
      }
    });
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', (code) => {
      if (this.worker === worker) {
        this.worker = null;
        this.failAll(new Error(`the Kafka writer thread exited with code ${code}`));
      }
    });
    worker.unref();
    this.worker = worker;
  }

  /** Sends one request (transferring `transfer`); resolves with its reply, never rejects. */
  request(req: WriterRequest, transfer: ArrayBuffer[] = []): Promise<WriterReply> {
    const w = this.worker;
    if (!w) return Promise.resolve(notRunning(req.id));
    if (this.pending.size === 0) w.ref();
    return new Promise((resolve) => {
      this.pending.set(req.id, resolve);
      w.postMessage(req, transfer);
    });
  }

  /** Disconnects the producer and ends the thread. */
  async close(id: number): Promise<void> {
    const w = this.worker;
    if (!w) return;
    await this.request({ id, op: 'close' });
    this.worker = null;
    await w.terminate();
  }

  private failAll(err: Error): void {
    for (const [id, resolve] of this.pending)
      resolve({ id, ok: false, error: { name: err.name, message: err.message, fenced: false } });
    this.pending.clear();
  }
}
