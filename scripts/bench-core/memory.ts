/** Process memory as the kernel counts it: anonymous resident memory now, and the peak resident set. */
import { readFileSync } from 'node:fs';

/** Anonymous resident memory (RssAnon of /proc/self/status), MiB; null where there is no /proc. */
export function anonMiB(): number | null {
  try {
    const m = /RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** The process's peak resident set so far, MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * Whether anonymous memory stays flat over a long run: samples taken at equal steps, the first
 * (warm-up) left out; the spread is the largest distance from their median, as a fraction of it.
 */
export function flatness(samples: readonly number[]): { median: number; spread: number } | null {
  const xs = samples.slice(1);
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const med = s[s.length >> 1]!;
  const spread = Math.max(...xs.map((x) => Math.abs(x - med))) / med;
  return { median: med, spread };
}
