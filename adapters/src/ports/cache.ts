/**
 * A cache of computed results shared by the processes that use the same backing store:
 * text values with a time to live. Losing an entry is always allowed (it is computed
 * again); returning a stale one past its TTL is not.
 */
export interface Cache {
  /** Which implementation this is (`memory`, `redis`). */
  readonly kind: string;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  close(): Promise<void>;
}
