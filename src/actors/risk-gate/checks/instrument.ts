/** Instrument: only instruments the run lists, that are not indices, and that the allow-list names. */
import { fail, pass, type Check } from './check.js';

export const instrumentCheck: Check = (s, v, l) => {
  const i = v.instrument;
  if (i === undefined)
    return fail(
      'instrument',
      'INSTRUMENT_NOT_ALLOWED',
      `instrument ${s.token} is not among the run's instruments`,
    );
  if (i.isIndex)
    return fail(
      'instrument',
      'INSTRUMENT_NOT_TRADABLE',
      `instrument ${s.token} (${i.symbol}) is an index: it can be watched, not traded`,
    );
  if (l.allowedInstruments !== null && !l.allowedInstruments.includes(s.token))
    return fail(
      'instrument',
      'INSTRUMENT_NOT_ALLOWED',
      `instrument ${s.token} (${i.symbol}) is not in allowedInstruments (${l.allowedInstruments.length} tokens)`,
    );
  return pass('instrument');
};
