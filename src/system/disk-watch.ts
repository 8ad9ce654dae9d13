/** DATA_DIR's free space, for /ready and the log. */
import { statfs } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Settings } from '../config/index.js';

/**
 * DATA_DIR's free space, read every few seconds and shown by /ready; below JOURNAL__MIN_FREE_BYTES
 * it is warned about, and while the journal there cannot be written it is what /ready names.
 */
export function diskWatch(settings: Settings, log: Logger, journalFailing: () => boolean) {
  const min = settings.journal.min_free_bytes;
  const dir = settings.data_dir;
  let free: number | null = null;
  let warned = false;
  let ticks = 0;
  let stopped = false;
  const read = () => {
    statfs(dir).then(
      (s) => {
        if (stopped) return;
        free = s.bavail * s.bsize;
        if (free < min && !warned) {
          warned = true;
          log.warn(
            { dataDir: dir, freeBytes: free, minFreeBytes: min },
            'DATA_DIR is short of space (JOURNAL__MIN_FREE_BYTES)',
          );
        } else if (free >= min) warned = false;
      },
      () => undefined,
    );
  };
  read();
  return {
    /** Called every 250 ms; reads the disk every 5 s, and at once while the journal fails. */
    poll: () => {
      if (++ticks % 20 === 0 || journalFailing()) read();
    },
    stop: () => {
      stopped = true;
    },
    problem: (): string | null =>
      journalFailing() && !settings.kafka_brokers
        ? `DATA_DIR ${dir} (${free ?? '?'} bytes free): the journal there cannot be written`
        : null,
    detail: () => ({
      dataDir: dir,
      freeBytes: free,
      minFreeBytes: min,
      low: free !== null && free < min,
    }),
  };
}
