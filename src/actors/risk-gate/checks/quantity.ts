/** Quantity: within the configured minimum and maximum of one signal. */
import { fail, pass, type Check } from './check.js';

export const quantityCheck: Check = (s, _v, l) => {
  if (s.quantity < l.minQuantity)
    return fail(
      'quantity',
      'QUANTITY_BELOW_MIN',
      `quantity ${s.quantity} < minimum ${l.minQuantity}`,
    );
  if (s.quantity > l.maxQuantity)
    return fail(
      'quantity',
      'QUANTITY_ABOVE_MAX',
      `quantity ${s.quantity} > maximum ${l.maxQuantity}`,
    );
  return pass('quantity');
};
