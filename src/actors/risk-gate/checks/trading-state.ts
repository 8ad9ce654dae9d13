/** Trading state: HALTED refuses everything; REDUCING lets only position-shrinking orders through. */
import { signedQuantity } from '../../../model/index.js';
import { fail, onlyShrinks, pass, type Check } from './check.js';

export const tradingStateCheck: Check = (s, v) => {
  if (v.state === 'HALTED')
    return fail('trading_state', 'TRADING_HALTED', `trading is ${v.stateOf}`);
  if (v.state === 'REDUCING' && !onlyShrinks(v.exposure, signedQuantity(s.side, s.quantity)))
    return fail(
      'trading_state',
      'REDUCE_ONLY',
      `trading is ${v.stateOf}: only orders that shrink the position of ${v.exposure} are allowed; ${s.side} ${s.quantity} does not`,
    );
  return pass('trading_state');
};
