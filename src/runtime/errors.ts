/** Infrastructure errors: one class tree with a stable code, a retriable flag and a cause. */

export class AlphaPandaError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  constructor(
    code: string,
    message: string,
    options: { retriable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/** The journal could not be written or read. */
export class JournalError extends AlphaPandaError {}

/**
 * The journal cannot be used as it is, and retrying will not change that: it is damaged, its
 * path is not a directory, an earlier build wrote it, or another process writes it. The
 * operator must act; the message says how, and the CLI exits 2 with it.
 */
export class JournalUnusable extends JournalError {}

/**
 * The stored journal is not a whole, intact prefix: a batch fails its checksum or does not
 * decode, a seq range is missing, or the file itself is damaged. Nothing is deleted on doubt:
 * the opener stops and the message names the first bad seq and the operator's two ways forward.
 */
export class JournalDamaged extends JournalUnusable {
  constructor(
    /** Where the journal is (a directory, or Kafka's bootstrap servers). */
    readonly location: string,
    /** The first seq that cannot be read intact. */
    readonly firstBadSeq: number,
    /** What is wrong there. */
    readonly problem: string,
    options: { cause?: unknown; dataDirOption?: string } = {},
  ) {
    const dd = options.dataDirOption ?? '';
    const keep =
      firstBadSeq > 1
        ? `to keep seqs 1..${firstBadSeq - 1} and set the rest aside in a side file`
        : 'to set every record aside in a side file and start the journal anew';
    super(
      'JOURNAL_DAMAGED',
      `the journal at ${location} is damaged from seq ${firstBadSeq}: ${problem}. Nothing was changed. ` +
        `Run \`node dist/main.js journal verify${dd}\` to list every bad range (it changes nothing), then, ` +
        `${keep}, \`node dist/main.js journal repair --truncate-after ${firstBadSeq - 1}${dd}\``,
      options.cause === undefined ? {} : { cause: options.cause },
    );
  }
}

/** The bridge's unflushed backlog passed its bound: trading halts until it drains (invariant 4). */
export class JournalBacklogExceeded extends AlphaPandaError {
  constructor(backlog: number, bound: number) {
    super(
      'JOURNAL_BACKLOG_EXCEEDED',
      `journal backlog ${backlog} records exceeds the bound of ${bound}; risk gates halt until it drains`,
      { retriable: true },
    );
  }
}

/** A configuration value is missing or invalid; the message names it and what is allowed. */
export class ConfigError extends AlphaPandaError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
  }
}

/**
 * A start-up step failed (the data directory, its lock, the port, Postgres, Redis, Kafka): the
 * process exits 2 with this one-line message, which names what failed and how to fix it.
 */
export class StartupError extends AlphaPandaError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('STARTUP_FAILED', message, options);
  }
}

/**
 * Thrown by an actor's handler when one message of a batch fails: carries the seq of that
 * message so the switchboard can dead-letter exactly it and redeliver the rest.
 */
export class MessageFailed extends Error {
  readonly seq: number;
  constructor(seq: number, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'MessageFailed';
    this.seq = seq;
  }
}

/** Describes any thrown value as `{ name, message, stack }` for journaling. */
export function describeError(err: unknown): { name: string; message: string; stack?: string } {
  const e = err instanceof MessageFailed && err.cause !== undefined ? err.cause : err;
  if (e instanceof Error) {
    return e.stack === undefined
      ? { name: e.name, message: e.message }
      : { name: e.name, message: e.message, stack: e.stack };
  }
  return { name: 'NonError', message: String(e) };
}
