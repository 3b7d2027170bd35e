import type { KeyValue } from './storage.ts';

/** The server's sessions end after 30 minutes without an event: the SDK's do too. */
export const SESSION_TIMEOUT_MS = 30 * 60_000;
const KEY = 'livora_session';

/**
 * The current session's id: the same while events keep coming less than `timeoutMs`
 * apart, a new one after a longer silence (or a reset). Kept in `store`, so a reload or
 * another tab continues the session.
 */
export function createSession(
  store: KeyValue,
  newId: () => string,
  options: { timeoutMs?: number; now?: () => number } = {},
) {
  const timeoutMs = options.timeoutMs ?? SESSION_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  return {
    /** The session of an event happening now (starting one if the last has timed out). */
    touch(): string {
      const at = now();
      let current: { id?: unknown; last?: unknown } = {};
      try {
        current = JSON.parse(store.get(KEY) ?? '{}');
      } catch {}
      const alive = typeof current.id === 'string' && typeof current.last === 'number' && at - current.last < timeoutMs;
      const id = alive ? (current.id as string) : newId();
      store.set(KEY, JSON.stringify({ id, last: at }));
      return id;
    },
    reset(): void {
      store.remove(KEY);
    },
  };
}

export type Session = ReturnType<typeof createSession>;
