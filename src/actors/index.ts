/** The actors: one folder per kind, each exporting its machine and its types. */
export * from './strategy/index.js';
export * from './risk-gate/index.js';
export * from './trader/index.js';
export * from './portfolio/index.js';
