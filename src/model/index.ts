/** The domain model: money, ids, instruments, messages, envelope and topics. Imports nothing else. */
export * from './money.js';
export * from './ids.js';
export * from './instrument.js';
export * from './market-tick.js';
export * from './messages.js';
export * from './orders.js';
export * from './system-events.js';
export * from './denial-codes.js';
export * from './topics.js';
export * from './envelope.js';
export * from './strategy-config.js';
export * from './zerodha-rates.js';
export * from './message.js';
export * from './calendar.js';
