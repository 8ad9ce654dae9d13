// A message's causation chain: what caused it (back to the input that started it) and what it
// caused, each entry clickable.
import { getJson } from './api.js';
import { strategyOf, targetsOf } from './ring.js';

function label(r) {
  const to = targetsOf(r);
  const who = to.length ? `${r.source} → ${to.join(', ')}` : r.source;
  const strategy = strategyOf(r);
  return `#${r.seq} ${r.type} ${who}${strategy ? ` (${strategy})` : ''}`;
}

function item(r, cls, onPick) {
  const li = document.createElement('li');
  li.textContent = label(r);
  li.dataset.seq = String(r.seq);
  li.dataset.type = r.type;
  li.setAttribute('data-testid', 'chain-entry');
  if (cls) li.classList.add(cls);
  li.addEventListener('click', () => onPick(r.seq));
  return li;
}

/**
 * Loads the chain of `seq` and lists it in `ol`, oldest first: the causes, the message itself,
 * what it caused. Resolves with the message's own record.
 */
export async function showChain(ol, seq, onPick) {
  const [self, chain] = await Promise.all([
    getJson(`/api/v1/inspector/messages/${seq}`),
    getJson(`/api/v1/inspector/messages/${seq}/chain`),
  ]);
  const record = self.record ?? self;
  const back = [...(chain.back ?? [])].filter((r) => r.seq !== record.seq);
  back.sort((a, b) => a.seq - b.seq);
  const forward = [...(chain.forward ?? [])].filter((r) => r.seq !== record.seq);
  forward.sort((a, b) => a.seq - b.seq);
  ol.replaceChildren(
    ...back.map((r) => item(r, 'back', onPick)),
    item(record, 'current', onPick),
    ...forward.map((r) => item(r, 'forward', onPick)),
  );
  return record;
}
