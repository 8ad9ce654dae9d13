/**
 * Checksums of journal data: CRC-32C (Castagnoli), hardware-accelerated by @node-rs/crc32
 * (about 8 GB/s here, so checking every batch on every read costs little beside decoding it).
 */
import { crc32c } from '@node-rs/crc32';

/** CRC-32C of `parts` taken in order, as an unsigned 32-bit integer. */
export function checksum(...parts: readonly Uint8Array[]): number {
  let c = 0;
  for (const p of parts) c = crc32c(Buffer.from(p.buffer, p.byteOffset, p.byteLength), c);
  return c >>> 0;
}
