/** Compares the orders of two open journals, read whole from seq 1. */
import type { LogTransport } from '../../runtime/index.js';
import { compareOrders, DEFAULT_WINDOW_MS, type OrderComparison } from './compare-orders.js';
import { journalOrders } from './journal-orders.js';

export async function compareJournals(
  a: LogTransport,
  b: LogTransport,
  options: { windowMs?: number } = {},
): Promise<OrderComparison> {
  const [ordersA, ordersB] = [await journalOrders(a.read(1)), await journalOrders(b.read(1))];
  return compareOrders(ordersA, ordersB, options.windowMs ?? DEFAULT_WINDOW_MS);
}
