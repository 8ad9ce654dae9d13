// The inspector page: the supervision tree, the live message list, the selected actor's context,
// a message's causation chain, and time travel to any journal seq.
import { getJson, login, onLoginNeeded, readEvents } from './api.js';
import { showChain } from './chain.js';
import { renderContext } from './context.js';
import { targetsOf } from './ring.js';
import { MessageList } from './stream.js';
import { renderTree } from './tree.js';

const $ = (id) => document.getElementById(id);
const ui = {
  tree: $('tree').tBodies[0],
  context: $('context'),
  chain: $('chain'),
  error: $('error'),
  mode: $('mode'),
  seq: $('travel-seq'),
  live: $('travel-live'),
  record: $('travel-record'),
};

/** `live`, or the seq the page shows the actors at. */
let at = 'live';
let selected;
let actors = [];

function showError(err) {
  ui.error.hidden = !err;
  ui.error.textContent = err ? String(err.message ?? err) : '';
}

onLoginNeeded(
  () =>
    new Promise((resolve) => {
      const dialog = $('login');
      const form = $('login-form');
      form.onsubmit = async (e) => {
        e.preventDefault();
        const f = new FormData(form);
        try {
          await login(String(f.get('username')), String(f.get('password')));
          dialog.close();
          resolve();
        } catch (err) {
          $('login-error').textContent = err.message;
        }
      };
      if (!dialog.open) dialog.showModal();
    }),
);

const list = new MessageList($('stream'), $('stream-spacer'), (seq) => pickMessage(seq));

async function pickMessage(seq) {
  list.select(seq);
  try {
    await showChain(ui.chain, seq, (s) => pickMessage(s));
    showError(null);
  } catch (err) {
    showError(err);
  }
}

function contextOf(a) {
  const raw = $('raw-context').checked;
  return raw ? a.context : (a.readable ?? a.context);
}

async function showActor() {
  $('actor-id').textContent = selected ?? '';
  if (!selected) return ui.context.replaceChildren();
  const id = encodeURIComponent(selected);
  const a =
    at === 'live'
      ? await getJson(`/api/v1/inspector/actors/${id}`)
      : await getJson(`/api/v1/inspector/actors/${id}/state?seq=${at}`);
  renderContext(ui.context, selected, contextOf(a.actor ?? a) ?? {});
}

function drawTree(changed) {
  renderTree(ui.tree, actors, selected, changed);
}

ui.tree.addEventListener('click', (e) => {
  const tr = e.target.closest('tr');
  if (!tr) return;
  selected = tr.dataset.id;
  drawTree();
  showActor().catch(showError);
});
$('raw-context').addEventListener('change', () => showActor().catch(showError));

async function refreshLive() {
  if (at !== 'live') return;
  try {
    const body = await getJson('/api/v1/inspector/actors');
    if (at !== 'live') return;
    actors = body.actors ?? [];
    $('as-of').textContent = `as of seq ${body.asOfSeq ?? body.lastSeq ?? '?'}`;
    drawTree();
    $('actor-ids').replaceChildren(
      ...actors.map((a) => Object.assign(document.createElement('option'), { value: a.id })),
    );
    if (selected) await showActor();
    showError(null);
  } catch (err) {
    showError(err);
  }
}

/** The ids of actors whose entries differ between two lists. */
function changedBetween(before, after) {
  const old = new Map(before.map((a) => [a.id, JSON.stringify(a)]));
  return new Set(after.filter((a) => old.get(a.id) !== JSON.stringify(a)).map((a) => a.id));
}

async function travelTo(seq) {
  if (!Number.isSafeInteger(seq) || seq < 1)
    return showError(new Error(`seq must be a whole number from 1, got ${seq}`));
  at = seq;
  ui.seq.value = String(seq);
  ui.mode.textContent = `at seq ${seq}`;
  ui.mode.classList.add('travel');
  ui.live.disabled = false;
  try {
    const [now, before] = await Promise.all([
      getJson(`/api/v1/inspector/state?seq=${seq}`),
      seq > 1 ? getJson(`/api/v1/inspector/state?seq=${seq - 1}`).catch(() => null) : null,
    ]);
    if (at !== seq) return;
    actors = now.actors ?? [];
    const record = now.record ?? now.message;
    drawTree(before ? changedBetween(before.actors ?? [], actors) : new Set());
    ui.record.hidden = !record;
    if (record) {
      const to = targetsOf(record);
      ui.record.textContent = `#${record.seq} ${record.type} ${record.source}${to.length ? ` → ${to.join(', ')}` : ''}`;
      ui.record.dataset.seq = String(record.seq);
      list.highlight(record.seq);
    }
    $('as-of').textContent = `as of seq ${seq}`;
    if (selected) await showActor();
    showError(null);
  } catch (err) {
    showError(err);
  }
}

function goLive() {
  at = 'live';
  ui.mode.textContent = 'live';
  ui.mode.classList.remove('travel');
  ui.live.disabled = true;
  ui.record.hidden = true;
  list.highlight(undefined);
  refreshLive();
}

$('travel').addEventListener('submit', (e) => {
  e.preventDefault();
  travelTo(Number(ui.seq.value));
});
$('travel-back').addEventListener('click', () =>
  travelTo((at === 'live' ? Number(ui.seq.value) || 2 : at) - 1),
);
$('travel-forward').addEventListener('click', () =>
  travelTo((at === 'live' ? Number(ui.seq.value) || 0 : at) + 1),
);
ui.live.addEventListener('click', goLive);

$('filters').addEventListener('input', () => {
  const f = new FormData($('filters'));
  list.setFilter(
    Object.fromEntries(
      ['actor', 'type', 'broker', 'correlationId'].map((k) => [k, String(f.get(k) ?? '').trim()]),
    ),
  );
});
$('filters').addEventListener('submit', (e) => e.preventDefault());
$('pause').addEventListener('click', () => {
  list.setPaused(!list.paused);
  $('pause').textContent = list.paused ? 'Resume' : 'Pause';
});

async function follow() {
  let lastId;
  for (let delay = 500; ; delay = Math.min(delay * 2, 10_000)) {
    try {
      const q = lastId === undefined ? '' : `?lastEventId=${lastId}`;
      await readEvents(`/api/v1/inspector/events${q}`, (data, id, event) => {
        if (event !== 'message') return;
        if (id !== undefined) lastId = id;
        list.push(data);
        delay = 500;
      });
    } catch (err) {
      showError(err);
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}

setInterval(() => {
  $('stream-count').textContent =
    `${list.count} shown${list.paused ? `, ${list.held.length} held` : ''}`;
}, 500);
setInterval(refreshLive, 1000);
refreshLive();
follow();
