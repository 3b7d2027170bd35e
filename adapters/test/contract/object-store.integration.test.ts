import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { AnonymousCredential, BlobServiceClient } from '@azure/storage-blob';
import { Storage } from '@google-cloud/storage';
import { describe, expect, it } from 'vitest';
import { createS3ObjectStore, type S3ObjectStoreOptions } from '../../src/aws/s3-object-store.ts';
import { createBlobObjectStore } from '../../src/azure/blob-object-store.ts';
import { createGcsObjectStore } from '../../src/gcp/gcs-object-store.ts';
import { createDirectoryObjectStore } from '../../src/local/directory-object-store.ts';
import { type ObjectStore, ObjectStoreUnavailableError } from '../../src/ports/object-store.ts';
import { startAzurite } from '../support/azurite.ts';
import { FAKE_GCS_SERVER_INSTALL, findFakeGcsServer, startFakeGcsServer } from '../support/fake-gcs-server.ts';
import { freePort } from '../support/free-port.ts';
import { motoServerInstalled, startMotoServer } from '../support/moto-server.ts';
import { objectStoreContract } from './object-store.contract.ts';

// The same contract against a local directory and against each cloud's emulator. Each cloud
// store gets a key prefix in a bucket that also holds objects outside it, which it must not see.
const PREFIX = 'contract';
async function putNeighbours(bucketRoot: ObjectStore): Promise<void> {
  const body = new TextEncoder().encode('not the store’s');
  await bucketRoot.put(`${PREFIX}or/neighbour`, body);
  await bucketRoot.put('neighbour', body);
}

describe('local: a directory', () => {
  objectStoreContract(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'livora-objects-'));
    return { store: createDirectoryObjectStore(dir), close: () => rm(dir, { recursive: true, force: true }) };
  });
});

// moto takes any keys; static ones keep the SDK from looking for real credentials.
const motoCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const moto = motoServerInstalled();
if (!moto) console.warn("moto is not installed: skipping the S3 object store (python3 -m pip install 'moto[server]')");
describe.skipIf(!moto)('aws: S3 (moto)', () => {
  objectStoreContract(async () => {
    const server = await startMotoServer();
    const options: S3ObjectStoreOptions = {
      bucket: 'livora-lake',
      region: 'us-east-1',
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: motoCredentials,
    };
    const admin = new S3Client({
      region: options.region,
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: motoCredentials,
    });
    await admin.send(new CreateBucketCommand({ Bucket: options.bucket }));
    admin.destroy();
    await putNeighbours(createS3ObjectStore(options));
    return { store: createS3ObjectStore({ ...options, prefix: PREFIX }), close: () => server.stop() };
  });
});

const fakeGcsServer = findFakeGcsServer();
if (!fakeGcsServer)
  console.warn(`fake-gcs-server is not installed: skipping the GCS object store (${FAKE_GCS_SERVER_INSTALL})`);
describe.skipIf(!fakeGcsServer)('gcp: GCS (fake-gcs-server)', () => {
  objectStoreContract(async () => {
    const server = await startFakeGcsServer(fakeGcsServer as string);
    await new Storage({ apiEndpoint: server.endpoint, projectId: 'livora-test' }).createBucket('livora-lake');
    const options = { bucket: 'livora-lake', apiEndpoint: server.endpoint };
    await putNeighbours(createGcsObjectStore(options));
    return { store: createGcsObjectStore({ ...options, prefix: PREFIX }), close: () => server.stop() };
  });
});

describe('azure: Blob (azurite)', () => {
  objectStoreContract(async () => {
    const azurite = await startAzurite();
    const options = { connectionString: azurite.connectionString, container: 'livora-lake' };
    await BlobServiceClient.fromConnectionString(options.connectionString)
      .getContainerClient(options.container)
      .create();
    await putNeighbours(createBlobObjectStore(options));
    return { store: createBlobObjectStore({ ...options, prefix: PREFIX }), close: () => azurite.stop() };
  });
});

describe('cloud stores: a service that does not answer', () => {
  const unreachable: Record<string, (endpoint: string) => ObjectStore> = {
    S3: (endpoint) =>
      createS3ObjectStore({
        bucket: 'lake',
        region: 'us-east-1',
        endpoint,
        forcePathStyle: true,
        credentials: motoCredentials,
        maxAttempts: 1,
      }),
    GCS: (apiEndpoint) => createGcsObjectStore({ bucket: 'lake', apiEndpoint, maxAttempts: 1 }),
    'Azure Blob': (endpoint) =>
      createBlobObjectStore({
        accountUrl: `${endpoint}/devstoreaccount1`,
        credential: new AnonymousCredential(),
        container: 'lake',
        maxAttempts: 1,
      }),
  };
  for (const [cloud, openAt] of Object.entries(unreachable)) {
    it(`${cloud}: every call rejects with ObjectStoreUnavailableError, the SDK's error as its cause`, async () => {
      // A port that was free a moment ago: nothing listens there.
      const store = openAt(`http://127.0.0.1:${await freePort()}`);
      const calls = [
        () => store.put('a/b', new Uint8Array([1])),
        () => store.get('a/b'),
        () => store.list('a/'),
        () => store.delete('a/b'),
      ];
      for (const call of calls) {
        const error = await call().then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ObjectStoreUnavailableError);
        expect((error as Error).message).toMatch(/did not answer/);
        expect((error as Error).cause).toBeInstanceOf(Error);
      }
    });
  }
});

describe('cloud stores: where DuckDB reads a key', () => {
  it('names S3 keys s3://bucket/prefix/key, GCS keys gs://…, Azure Blob keys az://container/…', () => {
    const key = 'events/tenant=a/dt=2026-11-25/p0.parquet';
    expect(createS3ObjectStore({ bucket: 'b', region: 'us-east-1', prefix: 'lake' }).locate(key)).toBe(
      `s3://b/lake/${key}`,
    );
    expect(createS3ObjectStore({ bucket: 'b', region: 'us-east-1' }).locate(key)).toBe(`s3://b/${key}`);
    expect(createGcsObjectStore({ bucket: 'b', prefix: '/lake/' }).locate(key)).toBe(`gs://b/lake/${key}`);
    const azure = { accountUrl: 'https://acct.blob.core.windows.net', credential: new AnonymousCredential() };
    expect(createBlobObjectStore({ ...azure, container: 'c', prefix: 'lake/x' }).locate(key)).toBe(
      `az://c/lake/x/${key}`,
    );
  });

  it('refuses a store prefix that would leave the bucket', () => {
    expect(() => createS3ObjectStore({ bucket: 'b', region: 'us-east-1', prefix: 'lake/../up' })).toThrow(
      /not an object key/,
    );
  });
});
