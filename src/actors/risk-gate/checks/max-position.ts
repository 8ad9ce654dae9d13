/** Max position: the strategy's position in the instrument, counting validated unfilled quantity. */
import { signedQuantity } from '../../../model/index.js';
import { fail, pass, type Check } from './check.js';

export const maxPositionCheck: Check = (s, v, l) => {
  const after = v.exposure + signedQuantity(s.side, s.quantity);
  if (Math.abs(after) > l.maxPositionPerInstrument)
    return fail(
      'max_position',
      'POSITION_EXCEEDS_MAX_PER_INSTRUMENT',
      `position would be ${after} (now ${v.exposure}, filled plus validated); limit is ±${l.maxPositionPerInstrument}`,
    );
  return pass('max_position');
};
