/**
 * ObjectStore: the lake's storage (a local directory, S3, GCS, Azure Blob). Keys are
 * `/`-separated paths; a put replaces the whole object at once (readers never see half
 * an object), so writing the same key again is how a replay stays idempotent. A cloud
 * store rejects with ObjectStoreUnavailableError when the service cannot be reached.
 */
export interface ObjectStore {
  /** Which implementation this is (`local`, `aws`…), for logs and /readyz. */
  readonly kind: string;
  put(key: string, body: Uint8Array): Promise<void>;
  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<Uint8Array | null>;
  /** The object's size in bytes, or null when there is none (a bulk load's manifest gives sizes). */
  size(key: string): Promise<number | null>;
  /** Keys under a prefix (a partial segment matches too: `lake` finds `lakeside/x`), in lexical order. */
  list(prefix: string): Promise<string[]>;
  /** Removes an object; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Where a query engine (DuckDB) can read a key: a file path or an s3://, gs://, az:// URL. */
  locate(key: string): string;
}

/** Keys are relative paths of safe segments: no '..', no leading '/', no empty segment. */
export function assertObjectKey(key: string): void {
  if (
    key === '' ||
    key.startsWith('/') ||
    key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')
  ) {
    throw new RangeError(`not an object key: ${JSON.stringify(key)}`);
  }
}

/** A list prefix: empty, or a key that may end with '/' (`lake/`) or stop inside a segment (`lake`). */
export function assertObjectPrefix(prefix: string): void {
  if (prefix !== '') assertObjectKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}

/** The store did not answer (network, DNS, timeouts, 5xx after retries); `cause` holds the SDK's error. */
export class ObjectStoreUnavailableError extends Error {
  override readonly name = 'ObjectStoreUnavailableError';
}
