/** FNV-1a (32 bit) of a partition key: cheap, stable across processes and releases. */
export function hashPartitionKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
