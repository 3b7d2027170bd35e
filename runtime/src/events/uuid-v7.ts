import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(16 * 256);
let at = pool.length;

/** A UUID version 7 (RFC 9562): time-ordered, so ids made by the server sort by arrival. */
export function uuidV7(now: number = Date.now()): string {
  if (at === pool.length) {
    randomFillSync(pool);
    at = 0;
  }
  const bytes = pool.subarray(at, at + 16);
  at += 16;
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
