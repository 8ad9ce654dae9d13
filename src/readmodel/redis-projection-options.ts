/** The options of RedisProjection and what it reports through them. */

/** Starts a repeating timer; returns the function that stops it. */
export type IntervalScheduler = (fn: () => void, everyMs: number) => () => void;

export interface RedisProjectionOptions {
  /** How often dirty keys are written, ms; 0 writes only on flush(). Default 200. */
  readonly flushEveryMs?: number | undefined;
  /**
   * Receives the errors of timer-driven flushes (one per tick while Redis is down) and of
   * close(); nothing is ever thrown into apply().
   */
  readonly onError?: (err: Error) => void;
  /** The timer behind flushEveryMs (tests inject one they fire by hand). */
  readonly schedule?: IntervalScheduler;
  /** Told once each time a Redis that had lost the read model was rewritten whole. */
  readonly onRewrite?: (rewrite: ReadModelRewrite) => void;
}

/** A rewrite of every key after Redis was found empty or behind. */
export interface ReadModelRewrite {
  /** readmodel:seq as Redis held it (null when missing). */
  readonly found: string | null;
  /** The readmodel:seq the projection had written last. */
  readonly expected: number;
  /** The readmodel:seq written now. */
  readonly seq: number;
  /** Keys written. */
  readonly keys: number;
}

/** setInterval, unref'd. */
export const defaultSchedule: IntervalScheduler = (fn, everyMs) => {
  const h = setInterval(fn, everyMs);
  // The read model must never keep a process alive that is otherwise done.
  h.unref();
  return () => clearInterval(h);
};
