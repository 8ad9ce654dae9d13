/**
 * A stopped daemon's LMDB journal opened read-only for post-mortem inspection: the inspector
 * over it shows the actors as of its last durable seq (replayed), time travel and chains.
 */
import type { Settings } from '../../config/index.js';
import { openJournalToRead } from '../compose.js';
import { journalInspector, type InspectorService } from './inspector.js';

export interface PostMortem {
  readonly inspector: InspectorService;
  /** The journal's last durable seq when it was opened. */
  readonly lastSeq: number;
  close(): Promise<void>;
}

/**
 * Opens the journal read-only: LMDB under `dataDir` (the daemon's DATA_DIR; settings' by default),
 * or the Kafka topics with KAFKA_BROKERS.
 */
export async function openPostMortem(
  settings: Settings,
  dataDir: string | undefined,
): Promise<PostMortem> {
  const transport = await openJournalToRead(settings, dataDir, 'inspect');
  // Opening again changes nothing (read-only) and hands back the journal's identity, which the
  // record ids (UUIDv7 of its creation time and nonce) are made of.
  const meta = await transport.open({ nonce: 0, createdMs: 0 });
  const inspector = journalInspector(transport, meta);
  return {
    inspector,
    lastSeq: transport.lastSeq(),
    close: async () => {
      await inspector.close();
      await transport.close();
    },
  };
}
