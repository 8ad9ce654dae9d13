/**
 * Summarises a V8 .cpuprofile (`node --cpu-prof`): self time by function and by source file, the
 * top entries first, as percentages of the sampled time.
 *
 *   node --import tsx scripts/bench-live/profile-summary.ts <file.cpuprofile> [--top 30]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time (µs) by `key(frame)`, largest first. */
export function selfTime(p: Profile, key: (n: ProfileNode) => string): [string, number][] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const n = byId.get(id);
    if (n === undefined) return;
    const k = key(n);
    out.set(k, (out.get(k) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  return [...out.entries()].sort((a, b) => b[1] - a[1]);
}

/**
 * Inclusive time (µs) by `key(frame)`: each sample counts once for every distinct key on its
 * stack (recursion is not counted twice). Largest first.
 */
export function inclusiveTime(p: Profile, key: (n: ProfileNode) => string): [string, number][] {
  const parent = new Map<number, ProfileNode>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let n = byId.get(id); n !== undefined; n = parent.get(n.id)) seen.add(key(n));
    for (const k of seen) out.set(k, (out.get(k) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  return [...out.entries()].sort((a, b) => b[1] - a[1]);
}

function shortUrl(url: string): string {
  const i = url.indexOf('/node_modules/');
  if (i >= 0) return url.slice(i + 14);
  const s = url.indexOf('/src/');
  return s >= 0 ? url.slice(s + 1) : url || '(native)';
}

function main(): void {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: profile-summary.ts <file.cpuprofile> [--top N]');
  const top = Number(process.argv[process.argv.indexOf('--top') + 1] ?? 30) || 30;
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const total = p.timeDeltas.reduce((a, b) => a + b, 0);
  const print = (title: string, rows: [string, number][]) => {
    console.log(`\n${title} (of ${(total / 1e6).toFixed(1)} s sampled)`);
    for (const [k, us] of rows.slice(0, top))
      console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
  };
  const fn = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  print('self time by function', selfTime(p, fn));
  print('inclusive time by function', inclusiveTime(p, fn));
  print(
    'self time by file',
    selfTime(p, (n) => shortUrl(n.callFrame.url)),
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
