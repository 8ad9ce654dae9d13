/** MIS entry cut-off: from the configured minute on, an MIS order may only shrink a position. */
import { signedQuantity } from '../../../model/index.js';
import { fail, onlyShrinks, pass, type Check } from './check.js';

const hhmm = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

export const misCutoffCheck: Check = (s, v, l) => {
  if (v.order.product !== 'MIS' || v.minuteOfDay < l.misEntryCutoffMinute)
    return pass('mis_cutoff');
  if (onlyShrinks(v.exposure, signedQuantity(s.side, s.quantity))) return pass('mis_cutoff');
  return fail(
    'mis_cutoff',
    'MIS_ENTRY_CUTOFF',
    `MIS ${s.side} ${s.quantity} would open or grow the position of ${v.exposure} at IST ${hhmm(v.minuteOfDay)} (minute ${v.minuteOfDay}); new MIS entries stop at minute ${l.misEntryCutoffMinute} (${hhmm(l.misEntryCutoffMinute)})`,
  );
};
