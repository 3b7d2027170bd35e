/**
 * Where a NUL (U+0000) sits in a JSON value, as a path like `/properties/note`, or null.
 * PostgreSQL text and jsonb cannot hold one, so an event carrying it could never be stored.
 */
export function findNul(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '/' : null;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    // The key is shown escaped: a raw NUL in the message would be as unreadable as it is unstorable.
    const at = `${path}/${JSON.stringify(key).slice(1, -1)}`;
    if (key.includes('\u0000')) return at;
    const found = findNul(child, at);
    if (found !== null) return found;
  }
  return null;
}
