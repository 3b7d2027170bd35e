import type { TokenCredential } from '@azure/core-auth';
import {
  type AnonymousCredential,
  BlobServiceClient,
  type RestError,
  type StoragePipelineOptions,
  type StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { assertObjectKey, assertObjectPrefix, type ObjectStore } from '../ports/object-store.ts';
import { normalizeKeyPrefix } from '../shared/key-prefix.ts';
import { storeCall } from '../shared/store-call.ts';

/** The account: a connection string, or its blob endpoint with a credential (Entra ID, shared key). */
type BlobAccount =
  | { readonly connectionString: string }
  | {
      readonly accountUrl: string;
      /** An Entra ID TokenCredential (e.g. @azure/identity's DefaultAzureCredential) or a shared key. */
      readonly credential: TokenCredential | StorageSharedKeyCredential | AnonymousCredential;
    };

export type BlobObjectStoreOptions = BlobAccount & {
  readonly container: string;
  /** Keys live under this prefix in the container (`lake` → `lake/<key>`); none by default. */
  readonly prefix?: string;
  /** Attempts per request before the store counts as unreachable (the SDK's default: 4). */
  readonly maxAttempts?: number;
};

/**
 * The lake in an Azure Blob Storage container. A put is one Put Blob request (never staged
 * blocks), which Azure makes visible whole or not at all.
 */
export function createBlobObjectStore(options: BlobObjectStoreOptions): ObjectStore {
  const base = normalizeKeyPrefix(options.prefix);
  const pipeline: StoragePipelineOptions = options.maxAttempts
    ? { retryOptions: { maxTries: options.maxAttempts } }
    : {};
  const service =
    'connectionString' in options
      ? BlobServiceClient.fromConnectionString(options.connectionString, pipeline)
      : new BlobServiceClient(options.accountUrl, options.credential, pipeline);
  const container = service.getContainerClient(options.container);
  const blobName = (key: string) => {
    assertObjectKey(key);
    return base + key;
  };
  const blob = (key: string) => container.getBlockBlobClient(blobName(key));

  const call = storeCall(
    `Azure container ${options.container} (${service.url})`,
    (error) => (error as RestError).statusCode,
  );

  return {
    kind: 'azure',
    async put(key, body) {
      const target = blob(key);
      await call('Put Blob', () => target.upload(body, body.byteLength));
    },
    async get(key) {
      const target = blob(key);
      return call('Get Blob', async () => {
        try {
          // One download (not downloadToBuffer's parallel ranges): a put landing meanwhile cannot mix two versions.
          const response = await target.download();
          const chunks: Buffer[] = [];
          for await (const chunk of response.readableStreamBody ?? []) chunks.push(chunk as Buffer);
          return Buffer.concat(chunks);
        } catch (error) {
          if (isMissingBlob(error)) return null;
          throw error;
        }
      });
    },
    async size(key) {
      const target = blob(key);
      return call('Get Blob Properties', async () => {
        try {
          return (await target.getProperties()).contentLength ?? 0;
        } catch (error) {
          if (isMissingBlob(error)) return null;
          throw error;
        }
      });
    },
    async list(prefix) {
      assertObjectPrefix(prefix);
      const keys: string[] = [];
      // The iterator follows each page's continuation marker (Azure answers up to 5,000 names a page).
      await call('List Blobs', async () => {
        for await (const item of container.listBlobsFlat({ prefix: base + prefix }))
          keys.push(item.name.slice(base.length));
      });
      // Azure orders by UTF-8 bytes; sort as the other stores do (they differ only past U+FFFF).
      return keys.sort();
    },
    async delete(key) {
      const target = blob(key);
      await call('Delete Blob', () => target.deleteIfExists());
    },
    // The form DuckDB's azure extension reads, the account coming from its secret.
    locate: (key) => `az://${options.container}/${blobName(key)}`,
  };
}

// A missing container is a misconfiguration, not a missing object.
function isMissingBlob(error: unknown): boolean {
  const e = error as RestError;
  return e.statusCode === 404 && e.code !== 'ContainerNotFound';
}
