/** Lot size: the quantity is a whole number of the instrument's lots. */
import { fail, pass, type Check } from './check.js';

export const lotSizeCheck: Check = (s, v) => {
  const i = v.instrument;
  if (i === undefined)
    return pass('lot_size', `instrument ${s.token} unknown: see the instrument check`);
  if (s.quantity % i.lotSize !== 0)
    return fail(
      'lot_size',
      'LOT_SIZE_MISMATCH',
      `quantity ${s.quantity} is not a multiple of ${i.symbol}'s lot size ${i.lotSize}`,
    );
  return pass('lot_size');
};
