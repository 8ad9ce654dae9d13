/** Broker adapters: the interface and the paper broker. */
export type { BrokerAdapter, SimulatedBroker, RemoteBroker } from './broker.js';
