/**
 * Position-aware sizing shared by the library strategies: a BUY builds a long position up to
 * `max_position`, a SELL only sells what is held (no short selling).
 */
import { z } from 'zod';

/** The sizing parameters every position-aware strategy declares. */
export const POSITION_PARAMS = {
  position_size: z
    .number()
    .int()
    .min(1)
    .default(100)
    .describe('Shares per signal: a BUY asks for this many, a SELL for at most this many'),
  max_position: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      'Largest long position it builds, in shares (absent: position_size, one lot at a time)',
    ),
};

/** The sizing parameters' values. */
export interface PositionParams {
  readonly position_size: number;
  readonly max_position?: number | undefined;
}

/**
 * The quantity to ask for on a `side` signal at signed `position` (shares held or asked for):
 * a BUY of position_size while position + position_size ≤ max_position, a SELL of at most
 * position_size while something is held; null when the position does not allow it.
 */
export function positionQuantity(
  side: 'BUY' | 'SELL',
  p: PositionParams,
  position: number,
): number | null {
  if (side === 'BUY') {
    return position + p.position_size <= (p.max_position ?? p.position_size)
      ? p.position_size
      : null;
  }
  return position > 0 ? Math.min(position, p.position_size) : null;
}
