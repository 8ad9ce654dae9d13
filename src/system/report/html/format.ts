/** Text of the report's figures: HTML escaping, rupees from paise, percents, IST times. */
import { IST_OFFSET_MS } from '../../../model/index.js';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Paise as rupees with Indian digit grouping (₹12,34,567.89), a minus sign when negative. */
export function rupees(p: number): string {
  const abs = Math.abs(Math.round(p));
  const whole = String(Math.trunc(abs / 100));
  const cents = String(abs % 100).padStart(2, '0');
  const last3 = whole.slice(-3);
  const rest = whole.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  return `${p < 0 ? '−' : ''}₹${rest === '' ? last3 : `${rest},${last3}`}.${cents}`;
}

/** A fraction as a percent with two decimals; a dash for null. */
export function percent(x: number | null): string {
  if (x === null) return '–';
  const text = `${(Math.abs(x) * 100).toFixed(2)}%`;
  return x < 0 && text !== '0.00%' ? `−${text}` : text;
}

/** A plain ratio with two decimals; a dash for null. */
export function ratio(x: number | null): string {
  return x === null ? '–' : x.toFixed(2);
}

/** Epoch ms as IST wall time, `YYYY-MM-DD HH:MM:SS`; a dash for null. */
export function istTime(ts: number | null): string {
  if (ts === null) return '–';
  return new Date(ts + IST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}
