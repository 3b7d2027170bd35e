/** Released sessions kept for reuse, at most (a burst of reads opens more; the engine ends the others by itself). */
const MAX_IDLE_SESSIONS = 10;

/**
 * A warehouse's released sessions, kept for the next connection as a pool keeps
 * connections: the newest first, each handed out again only while it has been idle less
 * than `reuseMs` and is younger than `maxAgeMs` (the engine ends idle and old sessions
 * by itself, and a statement must not reach one that just ended).
 */
export class IdleSessions<S extends { readonly opened: number }> {
  readonly #idle: { session: S; since: number }[] = [];
  readonly #reuseMs: number;
  readonly #maxAgeMs: number;

  constructor(limits: { reuseMs: number; maxAgeMs: number }) {
    this.#reuseMs = limits.reuseMs;
    this.#maxAgeMs = limits.maxAgeMs;
  }

  /** A session still fit for use, or null (those too old or idle too long are dropped). */
  take(): S | null {
    const now = Date.now();
    for (let idle = this.#idle.pop(); idle; idle = this.#idle.pop())
      if (now - idle.since < this.#reuseMs && now - idle.session.opened < this.#maxAgeMs) return idle.session;
    return null;
  }

  /** Keeps a released session whose statements all ran (unless enough are kept already). */
  keep(session: S): void {
    if (this.#idle.length < MAX_IDLE_SESSIONS) this.#idle.push({ session, since: Date.now() });
  }
}
