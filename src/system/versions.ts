/**
 * The version of each machine's behaviour and context shape, journaled in every RunStarted.
 * Bump one when a change makes it derive different messages from the same inputs or changes its
 * context: replay (and recovery) refuses a journal written by another version unless
 * MACHINE_MIGRATIONS says that version can be read, instead of silently comparing different code.
 */
export const MACHINE_VERSIONS: Readonly<Record<string, number>> = Object.freeze({
  strategy: 2,
  'risk-gate': 3,
  trader: 4,
  portfolio: 2,
  supervisor: 1,
  'paper-broker': 2,
});

/** Older versions this build can still replay, per machine (none yet). */
export const MACHINE_MIGRATIONS: Readonly<Record<string, readonly number[]>> = Object.freeze({});

/**
 * What stops this build from replaying a run recorded with `recorded` versions, or null. A run
 * recorded before versions were journaled has none and counts as version 0.
 */
export function versionProblem(
  recorded: Readonly<Record<string, number>> | undefined,
): string | null {
  const bad: string[] = [];
  for (const [machine, current] of Object.entries(MACHINE_VERSIONS)) {
    const was = recorded?.[machine] ?? 0;
    if (was === current || MACHINE_MIGRATIONS[machine]?.includes(was)) continue;
    bad.push(`${machine} v${was} (this build runs v${current})`);
  }
  if (bad.length === 0) return null;
  return `it was recorded by ${bad.join(', ')} and this build has no migration from ${bad.length === 1 ? 'that version' : 'those versions'}; replay it with the build that wrote it`;
}
