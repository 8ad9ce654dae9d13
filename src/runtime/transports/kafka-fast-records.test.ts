import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeRecord, encodeRecords, groupMessagesPerPartition } from './kafka-fast-records.js';
import { produceRequestV3, type ProduceArgs } from './kafka-produce-request.js';

const require = createRequire(import.meta.url);
const ROOT = dirname(require.resolve('kafkajs/package.json'));
/** kafkajs's own modules, the ones the fast versions stand in for. */
const kafkajs = {
  record: require(`${ROOT}/src/protocol/recordBatch/record/v0/index.js`) as (r: object) => {
    buffer: Buffer;
  },
  produce: require(`${ROOT}/src/protocol/requests/produce/v3/request.js`) as (a: object) => {
    apiKey: number;
    apiVersion: number;
    encode(): Promise<{ buffer: Buffer }>;
  },
  group: require(
    `${ROOT}/src/producer/groupMessagesPerPartition.js`,
  ) as typeof groupMessagesPerPartition,
  Long: require(`${ROOT}/src/utils/long.js`) as { fromNumber(n: number): { toString(): string } },
};

/** Messages of every kind kafkajs accepts: null and string keys, text and byte values, headers. */
function messages(n: number, timestamps: boolean) {
  return Array.from({ length: n }, (_, i) => ({
    key: i % 3 === 0 ? null : `k${i}`,
    value: i % 5 === 0 ? `text v\u00e4rde ${i}` : Buffer.from('v'.repeat((i * 37) % 300)),
    headers:
      i % 4 === 0
        ? {}
        : { 'ap-type': 'MarketTick', multi: ['a', Buffer.from('b\u00e9')], n: String(i) },
    ...(timestamps ? { timestamp: String(1_700_000_000_000 + i * 7) } : {}),
  }));
}

describe('the Kafka writer faster record encoding', () => {
  it('encodes a record exactly as kafkajs does', () => {
    for (const [i, m] of messages(40, false).entries()) {
      const r = { ...m, offsetDelta: i * 1000, timestampDelta: i % 2 === 0 ? i * 99_999 : -i };
      expect(encodeRecord(r).buffer.equals(kafkajs.record(r).buffer)).toBe(true);
    }
    const all = messages(12, false).map((m, i) => ({ ...m, offsetDelta: i }));
    expect(encodeRecords(all).equals(Buffer.concat(all.map((r) => kafkajs.record(r).buffer)))).toBe(
      true,
    );
  });

  it('encodes a Produce request exactly as kafkajs does, with and without compression', async () => {
    for (const compression of [0, 1]) {
      for (const timestamps of [false, true]) {
        const args = {
          acks: -1,
          timeout: 30_000,
          transactionalId: compression === 0 ? 'journal:tx' : null,
          producerId: kafkajs.Long.fromNumber(4242),
          producerEpoch: 3,
          compression,
          topicData: [
            {
              topic: 'market.ticks',
              partitions: [
                { partition: 0, firstSequence: 17, messages: messages(50, timestamps) },
                { partition: 5, firstSequence: 0, messages: messages(3, timestamps) },
              ],
            },
            {
              topic: 'alpha.journal',
              partitions: [{ partition: 0, firstSequence: 9, messages: messages(1, timestamps) }],
            },
          ],
        };
        // Records without a timestamp take the time of writing: both sides must see one time.
        const ms = 1_765_000_000_000;
        const realNow = Date.now;
        Date.now = () => ms;
        try {
          const theirs = kafkajs.produce(args);
          const ours = produceRequestV3(ROOT)(args as unknown as ProduceArgs);
          expect([ours.apiKey, ours.apiVersion]).toEqual([theirs.apiKey, theirs.apiVersion]);
          const a = (await theirs.encode()).buffer;
          const b = (await ours.encode()) as unknown as { buffer: Buffer };
          expect(b.buffer.equals(a)).toBe(true);
        } finally {
          Date.now = realNow;
        }
      }
    }
  });

  it('groups messages by partition as kafkajs does, in linear time', () => {
    const partitionMetadata = [0, 1, 2].map((i) => ({ partitionId: i }));
    const list = messages(30, false).map((m, i) => ({ ...m, partition: (i * 7) % 3 }));
    const partitioner = ({ message }: { message: { partition: number } }) => message.partition;
    const args = { topic: 't', partitionMetadata, messages: list, partitioner };
    expect(groupMessagesPerPartition(args)).toEqual(kafkajs.group(args));
    expect(groupMessagesPerPartition({ ...args, partitionMetadata: [] })).toEqual({});
  });
});
