/** Slicing: a quantity above the freeze quantity is split, into at most the configured slices. */
import { fail, pass, type Check } from './check.js';

export const slicingCheck: Check = (s, v, l) => {
  const n = v.order.slices.length;
  if (n > l.maxSlices)
    return fail(
      'slicing',
      'TOO_MANY_SLICES',
      `quantity ${s.quantity} at freeze quantity ${l.freezeQuantity} needs ${n} slices; limit is ${l.maxSlices}`,
    );
  return pass('slicing', n > 1 ? `${n} slices of at most ${v.order.slices[0]}` : undefined);
};
