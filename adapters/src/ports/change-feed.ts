/**
 * ChangeFeed: tells every process that shared data changed (write keys, schemas), so
 * in-process caches drop stale entries at once instead of at their TTL.
 */

/** `topic` names what changed (a table), `key` which part (a tenant); `*`/null: everything may have. */
export type ChangeHandler = (topic: string, key: string | null) => void;

export interface ChangeFeed {
  subscribe(handler: ChangeHandler): void;
  close(): Promise<void>;
}
