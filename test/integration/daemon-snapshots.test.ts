/**
 * The daemon's snapshots: taken while it runs (every SNAPSHOT__EVERY_RECORDS) and at a graceful
 * stop, so the next start restores the stop's snapshot and replays nothing; stored in LMDB, or on
 * the compacted snapshot topic with Kafka.
 */
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { feedDone, startDaemon, until, type Daemon } from '../helpers/daemon.js';
import { infraUrl } from '../helpers/infra.js';
import { tempDir } from '../helpers/system.js';

function logLines(d: Daemon, msg: string): Record<string, unknown>[] {
  return d
    .output()
    .split('\n')
    .filter((l) => l.includes(`"msg":"${msg}"`))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function scenario(journalEnv: Record<string, string>, store: string) {
  const data = tempDir('ap-dsnap-');
  const env = {
    DATA_DIR: data.path,
    FEED__SEED: '9',
    FEED__TICKS_PER_SECOND: '3000',
    FEED__MAX_TICKS: '3000',
    SNAPSHOT__EVERY_RECORDS: '1000',
    SNAPSHOT__EVERY_SECONDS: '0',
    ...journalEnv,
  };
  let d: Daemon | undefined;
  try {
    d = await startDaemon(env);
    const first = d;
    await feedDone(first);
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    const saved = logLines(first, 'snapshot saved');
    // Some while running, one at the stop, all in the configured store.
    expect(saved.length).toBeGreaterThanOrEqual(2);
    for (const s of saved) expect(s.store).toBe(store);
    const stopped = logLines(first, 'journal flushed; stopped')[0]!;
    expect(saved.at(-1)!.seq).toBe(stopped.lastSeq);

    d = await startDaemon(env);
    const second = d;
    const recovered = await until(
      async () => logLines(second, 'recovered the last run from the journal')[0],
      60_000,
      'recovery',
    );
    expect(recovered).toMatchObject({
      snapshotSeq: stopped.lastSeq,
      records: 0,
      ticks: 3000,
      divergences: 0,
    });
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    // Nothing happened after recovery: the run's fingerprint is the first process's.
    expect(logLines(second, 'journal flushed; stopped')[0]!.fingerprint).toBe(stopped.fingerprint);
  } finally {
    d?.remove();
    data.remove();
  }
}

describe('daemon snapshots', () => {
  it('restores the snapshot taken at a graceful stop, replaying nothing, on LMDB', async () => {
    await scenario({}, 'lmdb');
  }, 120_000);

  it('restores the snapshot taken at a graceful stop, replaying nothing, on Kafka', async () => {
    const prefix = `dsnap${process.pid}.`;
    const brokers = infraUrl('KAFKA_BROKERS');
    await scenario({ KAFKA_BROKERS: brokers, KAFKA_TOPIC_PREFIX: prefix }, 'kafka');
    // The snapshot topic is compacted (the newest per journal stays) and takes large snapshots.
    const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: `${prefix}alpha.snapshots` }],
      });
      const cfg = Object.fromEntries(
        resources[0]!.configEntries.map((e) => [e.configName, e.configValue]),
      );
      expect(cfg['cleanup.policy']).toBe('compact');
      expect(cfg['max.message.bytes']).toBe(String(64 * 2 ** 20));
    } finally {
      await admin.disconnect();
    }
  }, 180_000);
});
