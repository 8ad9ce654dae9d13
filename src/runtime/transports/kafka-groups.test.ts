import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { batchesOf, journalRecords } from '../../../test/helpers/journal-records.js';
import { GroupBuilder, UnknownTopic, type Group } from './kafka-groups.js';
import { toWire } from './kafka-wire.js';

const META = { nonce: 2 ** 33 + 9, createdMs: 1_767_584_700_000 };
const RECORDS = journalRecords(120);
const PARTITIONS: Record<string, number> = Object.fromEntries(
  [...new Set(RECORDS.map((r) => r.topic))].map((t, i) => [t, 1 + (i % 4) * 3]),
);

const builder = (limits?: { partition: number; group: number }) =>
  new GroupBuilder(META, PARTITIONS, 'p.', Partitioners.DefaultPartitioner(), limits);

/** Every group's messages in seq order, with where they went. */
function contents(groups: Group[]) {
  return groups.flatMap((g) =>
    [...g.byTopic].flatMap(([topic, parts]) =>
      [...parts].flatMap(([partition, list]) =>
        list.map((m) => ({ topic, partition, value: m.value.toString() })),
      ),
    ),
  );
}

function groupsOf(b: GroupBuilder, sizes: number[]): Group[] {
  const out: Group[] = [];
  for (const batch of batchesOf(RECORDS, sizes, META.nonce)) {
    const closed = b.add(batch);
    if (closed) out.push(closed);
  }
  const last = b.finish();
  if (last) out.push(last);
  return out;
}

describe("the Kafka writer's transactions", () => {
  it("hold toWire's messages on kafkajs's default partitions, each partition in seq order", () => {
    const [g, ...more] = groupsOf(builder(), [40, 40, 40]);
    expect(more).toEqual([]);
    expect([g!.first, g!.last, g!.records]).toEqual([1, 120, 120]);
    const partitioner = Partitioners.DefaultPartitioner();
    const expected = RECORDS.map((r) => {
      const w = toWire(META, r);
      const partitionMetadata = Array.from({ length: PARTITIONS[r.topic]! }, (_, i) => ({
        partitionId: i,
        leader: 0,
        partitionErrorCode: 0,
        replicas: [0],
        isr: [0],
      }));
      const partition = partitioner({ topic: r.topic, partitionMetadata, message: w });
      return { topic: r.topic, partition, value: w.value.toString(), seq: r.seq };
    });
    const sorted = [...expected].sort(
      (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || a.seq - b.seq,
    );
    const got = contents([g!]).sort(
      (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition,
    );
    expect(got).toEqual(sorted.map(({ seq: _, ...m }) => m));
  });

  it('are cut between whole batches before a partition or the whole would pass its bound', () => {
    const sizes = [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10];
    const whole = groupsOf(builder(), sizes);
    const small = groupsOf(builder({ partition: 4_000, group: 12_000 }), sizes);
    expect(small.length).toBeGreaterThan(2);
    // Contiguous seq ranges on batch bounds, covering everything once.
    expect(small[0]!.first).toBe(1);
    small.forEach((g, i) => {
      if (i > 0) expect(g.first).toBe(small[i - 1]!.last + 1);
      expect((g.last - g.first + 1) % 10 === 0 || g.last === 120).toBe(true);
      expect(g.bytes).toBeLessThanOrEqual(12_000);
      for (const n of g.partBytes.values()) expect(n).toBeLessThanOrEqual(4_000);
    });
    expect(small[small.length - 1]!.last).toBe(120);
    expect(
      contents(small)
        .map((m) => m.value)
        .sort(),
    ).toEqual(
      contents(whole)
        .map((m) => m.value)
        .sort(),
    );
  });

  it('name a topic the journal lacks, prefixed', () => {
    const b = new GroupBuilder(META, {}, 'p.', Partitioners.DefaultPartitioner());
    expect(() => b.add(batchesOf(RECORDS, [5], META.nonce)[0]!)).toThrow(UnknownTopic);
  });
});
