/**
 * A drop-in for kafkajs 2.2's Produce request v3 (protocol/requests/produce/v3/request.js,
 * which v4 to v7 reuse), installed by kafka-fast-records.ts. kafkajs encodes each record into
 * an encoder of its own, then copies the records into the batch, the batch into the partition,
 * the partition into the topic and the topic into the request, each through encoders that
 * start at 512 bytes and double; this writes each partition's record batch once, into a buffer
 * of its exact size, and the request once around them. The bytes are kafkajs's
 * (kafka-fast-records.test.ts compares them).
 *
 *   Produce Request (v3) => transactional_id acks timeout [topic_data]
 *     topic_data => topic [partition record_set]
 *   record_set => first_offset:int64 length:int32 RecordBatch
 *   RecordBatch => partition_leader_epoch:int32 magic:int8(2) crc:uint32 attributes:int16
 *     last_offset_delta:int32 first_timestamp:int64 max_timestamp:int64 producer_id:int64
 *     producer_epoch:int16 first_sequence:int32 count:int32 records
 *   (crc: CRC-32C from attributes to the end; records compressed as one block when asked)
 */
import { crc32c } from '@node-rs/crc32';
import { createRequire } from 'node:module';
import { SystemClock } from '../clock.js';
import { encodeRecords, type RecordInput } from './kafka-fast-records.js';

const require = createRequire(import.meta.url);

interface Long {
  toString(): string;
}

interface Message extends RecordInput {
  readonly timestamp?: string | number | null;
}

interface PartitionData {
  readonly partition: number;
  readonly firstSequence?: number;
  readonly messages: readonly Message[];
}

export interface ProduceArgs {
  readonly acks: number;
  readonly timeout: number;
  readonly transactionalId?: string | null;
  readonly producerId?: Long;
  readonly producerEpoch?: number;
  readonly compression?: number;
  readonly topicData: readonly { topic: string; partitions: readonly PartitionData[] }[];
}

interface Encoder {
  writeString(v: string | null): Encoder;
  writeInt16(v: number): Encoder;
  writeInt32(v: number): Encoder;
  writeBuffer(v: Buffer): Encoder;
}

interface KafkaJsParts {
  Encoder: new (initialSize?: number) => Encoder;
  lookupCodec(type: number): { compress(e: { buffer: Buffer }): Promise<Buffer> } | null;
}

let parts: KafkaJsParts | null = null;

/** kafkajs's encoder and codecs, from its own files (this module stands among them). */
function kafkajsParts(root: string): KafkaJsParts {
  parts ??= {
    Encoder: require(`${root}/src/protocol/encoder.js`) as KafkaJsParts['Encoder'],
    lookupCodec: (
      require(`${root}/src/protocol/message/compression/index.js`) as {
        lookupCodec: KafkaJsParts['lookupCodec'];
      }
    ).lookupCodec,
  };
  return parts;
}

const clock = new SystemClock();
const TRANSACTIONAL = 16;
const CODEC_MASK = 0x07;
/** Bytes from partition_leader_epoch through count. */
const BATCH_HEADER = 4 + 1 + 4 + 2 + 4 + 8 + 8 + 8 + 2 + 4 + 4;

function writeInt64(buf: Buffer, at: number, v: Long | number): void {
  buf.writeBigInt64BE(BigInt(typeof v === 'number' ? v : v.toString()), at);
}

/** One partition's record_set: first offset, length, and the record batch. */
async function recordSet(
  root: string,
  p: PartitionData,
  compression: number,
  transactional: boolean,
  producerId: Long,
  producerEpoch: number,
): Promise<Buffer> {
  const now = clock.now();
  // kafkajs sorts the timestamps given as strings; a message without one is written now.
  const given = p.messages
    .map((m) => m.timestamp)
    .filter((t) => t !== null && t !== undefined)
    .sort();
  const times = given.length === 0 ? [now] : given;
  const first = Number(times[0]);
  const max = Number(times[times.length - 1]);
  const records = encodeRecords(
    p.messages.map((m, i) => ({
      key: m.key,
      value: m.value,
      headers: m.headers ?? {},
      offsetDelta: i,
      timestampDelta: Number(m.timestamp || now) - first,
    })),
  );
  const codec = compression & CODEC_MASK;
  let body = records;
  if (codec !== 0) {
    const c = kafkajsParts(root).lookupCodec(compression);
    if (c === null) throw new Error(`no codec for compression ${compression}`);
    body = await c.compress({ buffer: records });
  }
  const batchLength = BATCH_HEADER + body.length;
  const out = Buffer.allocUnsafe(8 + 4 + batchLength);
  out.writeBigInt64BE(0n, 0);
  out.writeInt32BE(batchLength, 8);
  const b = 12;
  out.writeInt32BE(0, b); // partition leader epoch
  out.writeInt8(2, b + 4); // magic
  const crcAt = b + 5;
  const attrs = crcAt + 4;
  out.writeInt16BE(codec | (transactional ? TRANSACTIONAL : 0), attrs);
  out.writeInt32BE(p.messages.length - 1, attrs + 2);
  writeInt64(out, attrs + 6, first);
  writeInt64(out, attrs + 14, max);
  writeInt64(out, attrs + 22, producerId);
  out.writeInt16BE(producerEpoch, attrs + 30);
  out.writeInt32BE(p.firstSequence ?? 0, attrs + 32);
  out.writeInt32BE(p.messages.length, attrs + 36);
  body.copy(out, attrs + 40);
  out.writeUInt32BE(crc32c(out.subarray(attrs)) >>> 0, crcAt);
  return out;
}

/** The request module's export for the kafkajs installed at `root`. */
export function produceRequestV3(root: string) {
  return ({
    acks,
    timeout,
    transactionalId = null,
    producerId = -1 as unknown as Long,
    producerEpoch = 0,
    compression = 0,
    topicData,
  }: ProduceArgs) => ({
    apiKey: 0,
    apiVersion: 3,
    apiName: 'Produce',
    expectResponse: () => acks !== 0,
    encode: async (): Promise<Encoder> => {
      const topics: { topic: string; sets: { partition: number; set: Buffer }[] }[] = [];
      let size = 64 + (transactionalId?.length ?? 0) * 3;
      for (const { topic, partitions } of topicData) {
        const sets = [];
        for (const p of partitions) {
          const set = await recordSet(
            root,
            p,
            compression,
            !!transactionalId,
            producerId,
            producerEpoch,
          );
          sets.push({ partition: p.partition, set });
          size += 8 + set.length;
        }
        topics.push({ topic, sets });
        size += 8 + Buffer.byteLength(topic) + 2;
      }
      const { Encoder } = kafkajsParts(root);
      const e = new Encoder(size)
        .writeString(transactionalId)
        .writeInt16(acks)
        .writeInt32(timeout)
        .writeInt32(topics.length);
      for (const t of topics) {
        e.writeString(t.topic).writeInt32(t.sets.length);
        for (const s of t.sets)
          e.writeInt32(s.partition).writeInt32(s.set.length).writeBuffer(s.set);
      }
      return e;
    },
  });
}
