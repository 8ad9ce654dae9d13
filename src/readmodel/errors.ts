/** Read model errors: members of the one infrastructure error tree (runtime/errors.ts). */
import { AlphaPandaError } from '../runtime/index.js';

function causeText(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** Redis did not answer a read: the API answers 503 until it does. */
export class ReadModelUnavailable extends AlphaPandaError {
  constructor(what: string, cause: unknown) {
    super(
      'READ_MODEL_UNAVAILABLE',
      `the read model (Redis) could not ${what}: ${causeText(cause)}; check that Redis is running and REDIS_URL points at it`,
      { retriable: true, cause },
    );
  }
}

/** A flush or rebuild could not write Redis; the keys stay dirty and the next flush retries. */
export class ReadModelWriteFailed extends AlphaPandaError {
  constructor(what: string, cause: unknown) {
    super(
      'READ_MODEL_WRITE_FAILED',
      `could not ${what} in Redis: ${causeText(cause)}; the state stays in memory and the next flush writes it again`,
      { retriable: true, cause },
    );
  }
}

/** A read model key holds something the projection never writes. */
export class ReadModelCorrupt extends AlphaPandaError {
  constructor(key: string, problem: string) {
    super(
      'READ_MODEL_CORRUPT',
      `Redis key ${JSON.stringify(key)} does not hold a portfolio view (${problem}); rebuild the read model from the journal (restart the daemon with REDIS_URL set)`,
    );
  }
}
