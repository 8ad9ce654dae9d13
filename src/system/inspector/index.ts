/** The actor inspector's backend: the tree, time travel, chains and the filtered event stream. */
export {
  liveInspector,
  journalInspector,
  concerns,
  type InspectorService,
  type InspectorFilter,
  type StateAt,
} from './inspector.js';
export {
  actorTree,
  withoutContext,
  ROOT,
  type ActorDetail,
  type ActorView,
  type ActorKind,
  type ActorStatus,
} from './actor-view.js';
export { MessageCounters, type ActorCounts } from './message-counters.js';
export { causationChain, MAX_SCAN, type Chain } from './chain.js';
export { messageOf, recordAt, type MessageView } from './message-view.js';
export { readableContext, rupeesOf } from './readable.js';
export { TimeTravel, type TravelPoint } from './time-travel.js';
export { journalEvents } from './journal-events.js';
export { openPostMortem, type PostMortem } from './post-mortem.js';
