/**
 * The runtime's public API: clock and ids, the switchboard and its route table, the bridge and
 * the journal (codec, transports, snapshots), the supervisor and the error tree. Other layers
 * import this file, never a file inside the folder.
 */
export {
  SystemClock,
  SimulatedClock,
  RecoveryClock,
  InputClock,
  hrtimeNs,
  type Clock,
} from './clock.js';
export { SeededRandom, IdGenerator, entropySeed, secretBytes, uuidv7, type Random } from './ids.js';
export {
  AlphaPandaError,
  JournalError,
  JournalDamaged,
  JournalUnusable,
  JournalBacklogExceeded,
  ConfigError,
  StartupError,
  MessageFailed,
  describeError,
} from './errors.js';
export { checksum } from './checksum.js';
export { Bridge, type BridgeOptions } from './bridge.js';
export { BatchWriter, encodeBatch, decodeBatch, tickRecord } from './codec.js';
export { recordId, toEnvelope } from './envelope.js';
export {
  Fingerprint,
  fingerprintLine,
  FINGERPRINT_BLOCK,
  type FingerprintState,
} from './fingerprint.js';
export { routeOf, actorIds, type Routed } from './routes.js';
export { RunStats, type RunStatsState, type SwitchboardStats } from './run-stats.js';
export { Switchboard, type Tap, type TickTap } from './switchboard.js';
export type { OrderSink, SimulatedSink } from './outbox.js';
export { deadLetterOf, splitFailedBatch, redeliveryOf, type Original } from './dead-letter.js';
export {
  supervisorMachine,
  supervisorState,
  childOf,
  DEFAULT_BUDGET,
  type ChildSpec,
  type RestartBudget,
  type SupervisorInput,
  type SupervisorState,
  type SupervisorContext,
  type ReviveChild,
} from './supervisor.js';
export {
  SNAPSHOT_FORMAT,
  journalId,
  parseSnapshot,
  type Snapshot,
  type SnapshotStore,
} from './snapshots.js';
export type { EncodedBatch, JournalMeta, LogTransport } from './transport.js';
export { readInBatches } from './transport.js';
export { DiscardTransport } from './transports/discard.js';
export { ResumeTransport } from './transports/resume.js';
export { LmdbTransport, type LmdbTransportOptions } from './transports/lmdb.js';
export { verifyJournal, type JournalVerdict } from './transports/lmdb-verify.js';
export { repairJournal, type RepairResult } from './transports/lmdb-repair.js';
export { LmdbSnapshotStore } from './transports/lmdb-snapshots.js';
export { KafkaTransport, type KafkaTransportOptions } from './transports/kafka.js';
export { KafkaSnapshotStore } from './transports/kafka-snapshots.js';
export {
  topicTable,
  bootstrapTopics,
  JOURNAL_INDEX_TOPIC,
  SNAPSHOTS_TOPIC,
  SNAPSHOT_MAX_BYTES,
  DEFAULT_OVERLAYS,
  type TopicSpec,
  type TopicOverlays,
  type TopicAdmin,
} from './transports/kafka-topics.js';
