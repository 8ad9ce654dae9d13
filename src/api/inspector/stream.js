// The live message list: a ring of the latest records, of which only the rows in sight are in
// the page; follows the newest unless paused or scrolled up.
import { Ring, View, recordFilter, strategyOf, targetsOf } from './ring.js';

const ROW = 20;
const CAPACITY = 50_000;

export class MessageList {
  constructor(el, spacer, onSelect) {
    this.el = el;
    this.spacer = spacer;
    this.onSelect = onSelect;
    this.ring = new Ring(CAPACITY);
    this.view = new View(this.ring, recordFilter({}));
    this.paused = false;
    this.held = [];
    this.follow = true;
    this.selectedSeq = undefined;
    this.highlightSeq = undefined;
    this.dirty = true;
    this.rows = [];
    el.addEventListener('scroll', () => {
      this.follow = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW * 2;
      this.dirty = true;
    });
    el.addEventListener('click', (e) => {
      const row = e.target.closest('.row');
      if (row?.dataset.seq) this.onSelect(Number(row.dataset.seq));
    });
    const frame = () => {
      if (this.dirty) this.render();
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  /** Adds a record; while paused it waits (at most the ring's size) until resume. */
  push(r) {
    if (this.paused) {
      this.held.push(r);
      if (this.held.length > CAPACITY) this.held.splice(0, this.held.length - CAPACITY);
      return;
    }
    this.ring.push(r);
    this.view.add(this.ring.total - 1);
    this.dirty = true;
  }

  setPaused(p) {
    this.paused = p;
    if (!p) {
      const held = this.held;
      this.held = [];
      for (const r of held) this.push(r);
    }
  }

  setFilter(f) {
    this.view = new View(this.ring, recordFilter(f));
    this.dirty = true;
  }

  /** The record with this seq, if the ring still holds it. */
  find(seq) {
    for (let i = this.ring.total - 1; i >= this.ring.first; i--)
      if (this.ring.at(i).seq === seq) return this.ring.at(i);
    return undefined;
  }

  select(seq) {
    this.selectedSeq = seq;
    this.dirty = true;
  }

  /** Marks `seq` and scrolls it into sight when the current filter shows it. */
  highlight(seq) {
    this.highlightSeq = seq;
    const i = seq === undefined ? -1 : this.view.indexOfSeq(seq);
    if (i >= 0) {
      this.follow = false;
      this.el.scrollTop = Math.max(0, i * ROW - this.el.clientHeight / 2);
    }
    this.dirty = true;
  }

  get count() {
    return this.view.length;
  }

  render() {
    this.dirty = false;
    this.view.trim();
    const n = this.view.length;
    this.spacer.style.height = `${n * ROW}px`;
    if (this.follow && !this.paused) this.el.scrollTop = this.el.scrollHeight;
    const from = Math.max(0, Math.floor(this.el.scrollTop / ROW) - 5);
    const to = Math.min(n, from + Math.ceil(this.el.clientHeight / ROW) + 10);
    while (this.rows.length < to - from) {
      const row = document.createElement('div');
      row.className = 'row';
      row.dataset.testid = 'message';
      row.setAttribute('data-testid', 'message');
      for (let k = 0; k < 6; k++) row.append(document.createElement('span'));
      this.el.append(row);
      this.rows.push(row);
    }
    while (this.rows.length > to - from) this.rows.pop().remove();
    for (let i = from; i < to; i++) {
      const r = this.view.record(i);
      const row = this.rows[i - from];
      row.style.top = `${i * ROW}px`;
      row.dataset.seq = String(r.seq);
      row.dataset.type = r.type;
      row.classList.toggle('selected', r.seq === this.selectedSeq);
      row.classList.toggle('highlight', r.seq === this.highlightSeq);
      const cells = row.children;
      cells[0].textContent = String(r.seq);
      cells[1].textContent = r.type;
      const to = targetsOf(r);
      cells[2].textContent = to.length ? `${r.source} → ${to.join(', ')}` : r.source;
      cells[3].textContent = r.broker ?? '';
      cells[4].textContent = strategyOf(r) ?? '';
      cells[5].textContent = (r.at ?? '').slice(11, 23);
    }
  }
}
