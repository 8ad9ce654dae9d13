// The supervision tree: one table row per actor, children under their parent.

/** The actors in tree order (each after its parent), with their depth. */
function ordered(actors) {
  const byParent = new Map();
  const ids = new Set(actors.map((a) => a.id));
  for (const a of actors) {
    const p = a.parent && ids.has(a.parent) ? a.parent : null;
    if (!byParent.has(p)) byParent.set(p, []);
    byParent.get(p).push(a);
  }
  const out = [];
  const walk = (p, depth) => {
    for (const a of (byParent.get(p) ?? []).sort((x, y) => x.id.localeCompare(y.id))) {
      out.push([a, depth]);
      walk(a.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** An actor's state value as text: `RUNNING`, or `{"a":"b"}` for a nested one. */
export function stateText(state) {
  return typeof state === 'string' ? state : JSON.stringify(state ?? null);
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

/**
 * Renders `actors` into `tbody`; marks `selected`, and the ids in `changed` (time travel: what
 * the record at that seq changed).
 */
export function renderTree(tbody, actors, selected, changed = new Set()) {
  const rows = [];
  for (const [a, depth] of ordered(actors)) {
    const tr = document.createElement('tr');
    tr.dataset.id = a.id;
    tr.setAttribute('data-testid', 'actor');
    if (a.id === selected) tr.classList.add('selected');
    if (changed.has(a.id)) tr.classList.add('changed');
    if (/fault|error|stopped/i.test(String(a.status))) tr.classList.add('faulted');
    const name = cell(a.id);
    name.style.paddingLeft = `${4 + depth * 14}px`;
    const age =
      a.lastMessageAgeSeconds ?? (typeof a.lastAgeMs === 'number' ? a.lastAgeMs / 1000 : undefined);
    tr.append(
      name,
      cell(a.kind ?? ''),
      cell(stateText(a.state)),
      cell(a.status ?? ''),
      cell(String(a.restarts ?? 0)),
      cell(String(a.messagesIn ?? '')),
      cell(String(a.messagesOut ?? '')),
      cell(age === undefined || age === null ? '' : `${Number(age).toFixed(1)} s`),
    );
    rows.push(tr);
  }
  tbody.replaceChildren(...rows);
}
