/** A random UUID (v4): event ids, anonymous ids and session ids. */
export function randomId(): string {
  return globalThis.crypto.randomUUID();
}
