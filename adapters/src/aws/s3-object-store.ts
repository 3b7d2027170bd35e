import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { assertObjectKey, assertObjectPrefix, type ObjectStore } from '../ports/object-store.ts';
import { normalizeKeyPrefix } from '../shared/key-prefix.ts';
import { storeCall } from '../shared/store-call.ts';

export interface S3ObjectStoreOptions {
  readonly bucket: string;
  /** Keys live under this prefix in the bucket (`lake` → `lake/<key>`); none by default. */
  readonly prefix?: string;
  readonly region: string;
  /** An endpoint other than AWS's own (an emulator, an S3-compatible store, a VPC endpoint). */
  readonly endpoint?: string;
  /** `http://host/bucket/key` rather than `http://bucket.host/key`: what emulators and most S3-compatible stores need. */
  readonly forcePathStyle?: boolean;
  /** Static keys; absent, the SDK's default chain (environment, profile, instance or task role). */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  /** Attempts per request before the store counts as unreachable (the SDK's default: 3). */
  readonly maxAttempts?: number;
}

/** The lake in an S3 bucket. A put is one PutObject, which S3 makes visible whole or not at all. */
export function createS3ObjectStore(options: S3ObjectStoreOptions): ObjectStore {
  const { bucket } = options;
  const base = normalizeKeyPrefix(options.prefix);
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.forcePathStyle ? { forcePathStyle: true } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    requestHandler: new NodeHttpHandler({
      httpAgent: { keepAlive: true },
      httpsAgent: { keepAlive: true },
      // A black-holed endpoint must fail in seconds, not after the kernel's TCP timeout.
      connectionTimeout: 5_000,
      // …and a request that stops moving must fail too, not hold a lake flush forever.
      requestTimeout: 60_000,
    }),
  });
  const where = options.endpoint ?? options.region;
  const objectKey = (key: string) => {
    assertObjectKey(key);
    return base + key;
  };

  const call = storeCall(
    `S3 bucket ${bucket} (${where})`,
    (error) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
  );

  return {
    kind: 'aws',
    async put(key, body) {
      const Key = objectKey(key);
      await call('PutObject', () => client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: body })));
    },
    async get(key) {
      const Key = objectKey(key);
      return call('GetObject', async () => {
        try {
          const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
          return (await response.Body?.transformToByteArray()) ?? new Uint8Array();
        } catch (error) {
          if (isMissingObject(error)) return null;
          throw error;
        }
      });
    },
    async size(key) {
      const Key = objectKey(key);
      return call('HeadObject', async () => {
        try {
          return (await client.send(new HeadObjectCommand({ Bucket: bucket, Key }))).ContentLength ?? 0;
        } catch (error) {
          if (isMissingObject(error)) return null;
          throw error;
        }
      });
    },
    async list(prefix) {
      assertObjectPrefix(prefix);
      const keys: string[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page: ListObjectsV2CommandOutput = await call('ListObjectsV2', () =>
          client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: base + prefix, ContinuationToken })),
        );
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key.slice(base.length));
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
      // S3 orders by UTF-8 bytes; sort as the other stores do (they differ only past U+FFFF).
      return keys.sort();
    },
    async delete(key) {
      const Key = objectKey(key);
      // S3 answers 204 for a key that is not there.
      await call('DeleteObject', () => client.send(new DeleteObjectCommand({ Bucket: bucket, Key })));
    },
    locate: (key) => `s3://${bucket}/${objectKey(key)}`,
  };
}

// A missing bucket is a misconfiguration, not a missing object: only NoSuchKey (or a bare 404) means "none".
function isMissingObject(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || (e.$metadata?.httpStatusCode === 404 && e.name !== 'NoSuchBucket');
}
