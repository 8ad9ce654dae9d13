/** The IST trading day of an instant: India keeps UTC+05:30 all year, with no daylight saving. */

const IST_OFFSET_MS = 19_800_000;

/** Returns the IST calendar date of `ms` (epoch ms) as YYYY-MM-DD. */
export function istTradingDay(ms: number): string {
  return new Date(ms + IST_OFFSET_MS).toISOString().slice(0, 10);
}
