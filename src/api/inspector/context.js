// An actor's context as a tree of <details>: objects and arrays expand and collapse, and what
// is open stays open as the value updates.

const open = new Set(['$']);

function leafText(v) {
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

function node(key, value, path) {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    const d = document.createElement('details');
    d.dataset.path = path;
    d.open = open.has(path);
    d.addEventListener('toggle', () => (d.open ? open.add(path) : open.delete(path)));
    const s = document.createElement('summary');
    const k = document.createElement('span');
    k.className = 'key';
    k.textContent = key;
    s.append(k, ` ${Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`}`);
    d.append(s);
    for (const [ck, cv] of entries) d.append(node(String(ck), cv, `${path}.${ck}`));
    return d;
  }
  const div = document.createElement('div');
  div.className = 'leaf';
  const k = document.createElement('span');
  k.className = 'key';
  k.textContent = `${key}: `;
  div.append(k, leafText(value));
  return div;
}

/** Renders `value` into `el` as an expandable tree named `name`. */
export function renderContext(el, name, value) {
  el.replaceChildren(node(name, value, '$'));
}

/** Opens every level of the tree in `el` (and remembers it). */
export function expandAll(el) {
  for (const d of el.querySelectorAll('details')) {
    d.open = true;
    open.add(d.dataset.path);
  }
}
