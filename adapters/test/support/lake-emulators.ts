import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { BlobServiceClient } from '@azure/storage-blob';
import { Storage } from '@google-cloud/storage';
import { createS3ObjectStore } from '../../src/aws/s3-object-store.ts';
import { createBlobObjectStore } from '../../src/azure/blob-object-store.ts';
import { createGcsObjectStore } from '../../src/gcp/gcs-object-store.ts';
import type { ObjectStore } from '../../src/ports/object-store.ts';
import { startAzurite } from './azurite.ts';
import { FAKE_GCS_SERVER_INSTALL, findFakeGcsServer, startFakeGcsServer } from './fake-gcs-server.ts';
import { motoServerInstalled, startMotoServer } from './moto-server.ts';

export interface LakeEmulator {
  /** The engine's settings that put its lake in the emulator's bucket. */
  readonly env: Record<string, string>;
  /** The same bucket, to read back what the engine wrote. */
  readonly store: ObjectStore;
  stop(): Promise<void>;
}

const BUCKET = 'livora-lake';
const PREFIX = 'engine';

/**
 * Each cloud lake on its emulator, with a bucket made: S3 on moto, GCS on fake-gcs-server,
 * Blob storage on azurite. `missing` says what to install where an emulator is absent.
 */
export const LAKE_EMULATORS: Record<
  'aws' | 'gcp' | 'azure',
  { name: string; missing: string | null; start(): Promise<LakeEmulator> }
> = {
  aws: {
    name: 'S3 (moto)',
    missing: motoServerInstalled() ? null : "python3 -m pip install 'moto[server]'",
    async start() {
      const server = await startMotoServer();
      // moto takes any keys; the engine's S3 client reads them from the environment.
      process.env.AWS_ACCESS_KEY_ID ??= 'test';
      process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
      const admin = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, forcePathStyle: true });
      await admin.send(new CreateBucketCommand({ Bucket: BUCKET }));
      admin.destroy();
      return {
        env: {
          LIVORA_LAKE_STORE: 'aws',
          LIVORA_LAKE_BUCKET: BUCKET,
          LIVORA_LAKE_PREFIX: PREFIX,
          LIVORA_LAKE_ENDPOINT: server.endpoint,
        },
        store: createS3ObjectStore({
          bucket: BUCKET,
          prefix: PREFIX,
          region: 'us-east-1',
          endpoint: server.endpoint,
          forcePathStyle: true,
        }),
        stop: () => server.stop(),
      };
    },
  },
  gcp: {
    name: 'GCS (fake-gcs-server)',
    missing: findFakeGcsServer() ? null : FAKE_GCS_SERVER_INSTALL,
    async start() {
      const server = await startFakeGcsServer(findFakeGcsServer() as string);
      await new Storage({ apiEndpoint: server.endpoint, projectId: 'livora-test' }).createBucket(BUCKET);
      return {
        env: {
          LIVORA_LAKE_STORE: 'gcp',
          LIVORA_LAKE_BUCKET: BUCKET,
          LIVORA_LAKE_PREFIX: PREFIX,
          LIVORA_LAKE_ENDPOINT: server.endpoint,
        },
        store: createGcsObjectStore({ bucket: BUCKET, prefix: PREFIX, apiEndpoint: server.endpoint }),
        stop: () => server.stop(),
      };
    },
  },
  azure: {
    name: 'Blob storage (azurite)',
    missing: null, // a devDependency
    async start() {
      const azurite = await startAzurite();
      const { connectionString } = azurite;
      await BlobServiceClient.fromConnectionString(connectionString).getContainerClient(BUCKET).create();
      return {
        env: {
          LIVORA_LAKE_STORE: 'azure',
          LIVORA_LAKE_BUCKET: BUCKET,
          LIVORA_LAKE_PREFIX: PREFIX,
          AZURE_STORAGE_CONNECTION_STRING: connectionString,
        },
        store: createBlobObjectStore({ connectionString, container: BUCKET, prefix: PREFIX }),
        stop: () => azurite.stop(),
      };
    },
  },
};
