/**
 * The Kafka writer's fast `toWire`: the same messages (kafka-wire.ts; the test compares them
 * byte for byte), made for many records of one journal in a row. The envelope's JSON is built
 * from its parts instead of from an object (ids share a prefix, neighbouring records share a
 * time), and values are written into large shared buffers instead of one allocation each.
 */
import { ENVELOPE_VERSION, envelopeType, type JournalRecord } from '../../model/index.js';
import { recordId, toEnvelope } from '../envelope.js';
import type { JournalMeta } from '../transport.js';
import { recordChecksum, type WireMessage } from './kafka-wire.js';

/** Seqs below this have ids of the journal's prefix plus 10 hex digits (uuidv7's low 40 bits). */
const SEQ_LIMIT = 2 ** 40;
const SLAB_BYTES = 1 << 20;

export class WireEncoder {
  private readonly idPrefix: string | null;
  private lastTs = Number.NaN;
  private lastIso = '';
  private readonly types = new Map<string, string>();
  private slab = Buffer.allocUnsafe(SLAB_BYTES);
  private used = 0;

  constructor(private readonly meta: Pick<JournalMeta, 'nonce' | 'createdMs'>) {
    const probe = 0x123456789a;
    const prefix = recordId(meta, 0).slice(0, 26);
    this.idPrefix = recordId(meta, probe) === prefix + probe.toString(16) ? prefix : null;
  }

  private id(seq: number): string {
    if (this.idPrefix === null || seq < 0 || seq >= SEQ_LIMIT || !Number.isInteger(seq))
      return recordId(this.meta, seq);
    return this.idPrefix + seq.toString(16).padStart(10, '0');
  }

  private iso(ts: number): string {
    if (ts !== this.lastTs) {
      this.lastIso = new Date(ts).toISOString();
      this.lastTs = ts;
    }
    return this.lastIso;
  }

  private type(t: string): string {
    let s = this.types.get(t);
    if (s === undefined) this.types.set(t, (s = JSON.stringify(envelopeType(t))));
    return s;
  }

  /** The envelope's JSON, exactly `JSON.stringify(toEnvelope(meta, r))`. */
  json(r: JournalRecord): string {
    const plain =
      typeof r.source === 'string' &&
      (r.target === null || typeof r.target === 'string') &&
      typeof r.broker === 'string' &&
      typeof r.key === 'string' &&
      Number.isSafeInteger(r.seq) &&
      Number.isSafeInteger(r.correlationSeq) &&
      Number.isSafeInteger(r.causationSeq) &&
      r.data !== undefined &&
      typeof (r.data as { toJSON?: unknown } | null)?.toJSON !== 'function';
    if (!plain) return JSON.stringify(toEnvelope(this.meta, r));
    const corr = r.correlationSeq === r.seq ? this.id(r.seq) : this.id(r.correlationSeq);
    const cause = r.causationSeq > 0 ? `"${this.id(r.causationSeq)}"` : 'null';
    return (
      `{"id":"${this.id(r.seq)}","seq":${r.seq},"type":${this.type(r.type)},"ts":"${this.iso(r.ts)}",` +
      `"correlation_id":"${corr}","causation_id":${cause},"source":${JSON.stringify(r.source)},` +
      `"target":${r.target === null ? 'null' : JSON.stringify(r.target)},"version":${ENVELOPE_VERSION},` +
      `"broker":${JSON.stringify(r.broker)},"key":${JSON.stringify(r.key)},"data":${JSON.stringify(r.data)}}`
    );
  }

  /** The UTF-8 bytes of `s`, in a shared buffer (valid for as long as the caller keeps them). */
  private bytes(s: string): Buffer {
    const most = s.length * 3;
    if (most > SLAB_BYTES / 4) return Buffer.from(s, 'utf8');
    if (this.used + most > this.slab.length) {
      this.slab = Buffer.allocUnsafe(SLAB_BYTES);
      this.used = 0;
    }
    const n = this.slab.write(s, this.used, 'utf8');
    const b = this.slab.subarray(this.used, this.used + n);
    this.used += n;
    return b;
  }

  /** The Kafka message of record `r` (kafka-wire.ts's `toWire`). */
  encode(r: JournalRecord): WireMessage {
    const value = this.bytes(this.json(r));
    const headers: Record<string, string> = {
      'ap-type': r.type,
      'ap-corr': String(r.correlationSeq),
      'ap-cause': String(r.causationSeq),
      'ap-crc': recordChecksum(this.meta.nonce, r.seq, value).toString(16).padStart(8, '0'),
    };
    if (r.batch !== undefined) headers['ap-batch'] = String(r.batch);
    return { key: r.key, value, headers };
  }
}
