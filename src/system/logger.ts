/**
 * The process's logger: pino, writing `json` (pino's JSON lines) or `pretty` (one readable line
 * per entry), with every secret redacted from every line, whatever logger or child wrote it.
 */
import { isatty } from 'node:tty';
import { pino, type DestinationStream, type LevelWithSilent, type Logger } from 'pino';
import { prettyLine } from './log-pretty.js';
import { mayHoldSecret, redactSecrets, redactText } from './log-redaction.js';

export type LogFormat = 'pretty' | 'json';

export interface LoggerOptions {
  readonly level: LevelWithSilent;
  /** Unset: `pretty` when the output is a terminal, else `json`. */
  readonly format?: LogFormat | undefined;
  /** A file descriptor (1: stdout, 2: stderr), or a stream. */
  readonly to: 1 | 2 | DestinationStream;
  /** Colour `pretty` lines' levels; by default on a terminal, unless NO_COLOR is set. */
  readonly colours?: boolean;
}

/**
 * Creates the logger. Redaction happens on each finished line (pino's `streamWrite` hook), so it
 * covers the message, interpolated arguments, child bindings and serialized errors alike, at any
 * depth, which pino's `redact` paths cannot express. It costs one JSON parse per `pretty` line
 * and per `json` line that names a secret's key or holds a URL; other lines are written as is.
 */
export function createLogger(opts: LoggerOptions): Logger {
  const terminal = typeof opts.to === 'number' ? isatty(opts.to) : isTerminal(opts.to);
  const pretty = (opts.format ?? (terminal ? 'pretty' : 'json')) === 'pretty';
  const noColour = (process.env['NO_COLOR'] ?? '') !== '';
  const colours = opts.colours ?? (terminal && !noColour);
  const destination = typeof opts.to === 'number' ? pino.destination(opts.to) : opts.to;
  return pino(
    {
      level: opts.level,
      hooks: { streamWrite: (line) => rewrite(line, pretty, colours) },
    },
    destination,
  );
}

/** A line as written: redacted, and formatted for `pretty`. */
function rewrite(line: string, pretty: boolean, colours: boolean): string {
  if (!pretty && !mayHoldSecret(line)) return line;
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return redactText(line);
  }
  const clean = redactSecrets(entry) as Record<string, unknown>;
  return pretty ? prettyLine(clean, colours) : `${JSON.stringify(clean)}\n`;
}

function isTerminal(stream: DestinationStream): boolean {
  return (stream as { isTTY?: unknown }).isTTY === true;
}
