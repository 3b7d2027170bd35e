import { createHash } from 'node:crypto';

/**
 * A UUID (version 8, RFC 9562's custom layout) from SHA-256 of its parts: the same inputs
 * always make the same id, so a replay, or a second run over the same log, makes the same
 * persons and sessions.
 */
export function deterministicUuid(...parts: readonly string[]): string {
  const hash = createHash('sha256').update(parts.join('\u0000')).digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x80;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
