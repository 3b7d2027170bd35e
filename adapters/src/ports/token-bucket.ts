/**
 * TokenBuckets: rate limiting shared by every API process (in-process locally, Redis when
 * configured). A take succeeds only if every named bucket has enough tokens, and then
 * takes from all of them, so a refused request costs nothing.
 */

export interface BucketLimit {
  readonly key: string;
  /** Tokens added per second. */
  readonly ratePerSecond: number;
  /** Bucket size: the largest burst allowed. */
  readonly burst: number;
}

export type TakeResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly key: string; readonly retryAfterSeconds: number };

export interface TokenBuckets {
  readonly kind: string;
  take(limits: readonly BucketLimit[], tokens: number): Promise<TakeResult>;
  close(): Promise<void>;
}
