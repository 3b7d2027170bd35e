import { type ApiError, IdempotencyStrategy, Storage } from '@google-cloud/storage';
import { assertObjectKey, assertObjectPrefix, type ObjectStore } from '../ports/object-store.ts';
import { normalizeKeyPrefix } from '../shared/key-prefix.ts';
import { storeCall } from '../shared/store-call.ts';

// The page GCS answers by default; fake-gcs-server pages only when asked. (With autoPaginate,
// maxResults would cap the whole listing, so the loop below pages itself.)
const PAGE_SIZE = 1_000;

export interface GcsObjectStoreOptions {
  readonly bucket: string;
  /** Keys live under this prefix in the bucket (`lake` → `lake/<key>`); none by default. */
  readonly prefix?: string;
  /** An emulator's address (`http://127.0.0.1:4443`); requests to it carry no credentials. */
  readonly apiEndpoint?: string;
  /** Attempts per request before the store counts as unreachable (the library's default: 4). */
  readonly maxAttempts?: number;
}

/**
 * The lake in a GCS bucket, with Application Default Credentials. A put is one multipart
 * upload request (not a resumable upload), which GCS makes visible whole or not at all.
 */
export function createGcsObjectStore(options: GcsObjectStoreOptions): ObjectStore {
  const base = normalizeKeyPrefix(options.prefix);
  const maxAttempts = options.maxAttempts ?? 4;
  const storage = new Storage({
    ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
    retryOptions: {
      // A put rewrites a whole object and a delete of a missing one is fine: both are safe to retry.
      idempotencyStrategy: IdempotencyStrategy.RetryAlways,
      autoRetry: maxAttempts > 1,
      maxRetries: Math.max(1, maxAttempts - 1),
    },
  });
  const bucket = storage.bucket(options.bucket);
  const where = options.apiEndpoint ?? 'storage.googleapis.com';
  const objectName = (key: string) => {
    assertObjectKey(key);
    return base + key;
  };
  const file = (key: string) => bucket.file(objectName(key));

  const call = storeCall(`GCS bucket ${options.bucket} (${where})`, (error) => {
    const status = (error as ApiError).code;
    return typeof status === 'number' ? status : undefined;
  });

  return {
    kind: 'gcp',
    async put(key, body) {
      const target = file(key);
      await call('upload', () => target.save(body, { resumable: false }));
    },
    async get(key) {
      const target = file(key);
      return call('download', async () => {
        try {
          const [contents] = await target.download();
          return contents;
        } catch (error) {
          if ((error as ApiError).code === 404) return null;
          throw error;
        }
      });
    },
    async size(key) {
      const target = file(key);
      return call('metadata', async () => {
        try {
          const [metadata] = await target.getMetadata();
          return Number(metadata.size ?? 0);
        } catch (error) {
          if ((error as ApiError).code === 404) return null;
          throw error;
        }
      });
    },
    async list(prefix) {
      assertObjectPrefix(prefix);
      const keys: string[] = [];
      let pageToken: string | undefined;
      do {
        const query = { prefix: base + prefix, autoPaginate: false, maxResults: PAGE_SIZE, pageToken };
        const [files, next] = await call('list', () => bucket.getFiles(query));
        for (const f of files) keys.push(f.name.slice(base.length));
        pageToken = (next as { pageToken?: string } | null)?.pageToken;
      } while (pageToken);
      // GCS orders by UTF-8 bytes; sort as the other stores do (they differ only past U+FFFF).
      return keys.sort();
    },
    async delete(key) {
      const target = file(key);
      await call('delete', () => target.delete({ ignoreNotFound: true }));
    },
    locate: (key) => `gs://${options.bucket}/${objectName(key)}`,
  };
}
