/**
 * A captured Kite ticker message, decoded: what `kite decode` prints. A capture is the raw bytes
 * of one WebSocket message (a frame, or a heartbeat), or the base64 text of one (as Zerodha's
 * fixtures keep them), or of one bare packet without the frame header.
 */
import { decodeMessage, decodePacket, KiteDecodeError, type KitePacket } from '../brokers/index.js';

export interface KiteCapture {
  /** How the bytes were read. */
  readonly form: 'frame' | 'heartbeat' | 'packet';
  readonly base64: boolean;
  readonly packets: readonly KitePacket[];
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function decodeKiteCapture(bytes: Uint8Array): KiteCapture {
  const text = Buffer.from(bytes).toString('latin1').trim();
  const base64 = text.length >= 8 && text.length % 4 === 0 && BASE64.test(text);
  const raw = base64 ? new Uint8Array(Buffer.from(text, 'base64')) : bytes;
  let frameError: unknown;
  try {
    const m = decodeMessage(raw);
    if (m.kind === 'heartbeat') return { form: 'heartbeat', base64, packets: [] };
    return { form: 'frame', base64, packets: m.packets };
  } catch (err) {
    frameError = err;
  }
  try {
    return { form: 'packet', base64, packets: [decodePacket(raw)] };
  } catch {
    throw new KiteDecodeError(
      `${raw.byteLength} bytes${base64 ? ' (from base64)' : ''} are neither a frame nor one packet: as a frame, ${(frameError as Error).message}`,
    );
  }
}
