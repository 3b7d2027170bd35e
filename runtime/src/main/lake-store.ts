import path from 'node:path';
import { createDirectoryObjectStore } from '@livora/adapters/local';
import type { ObjectStore } from '@livora/adapters/ports';
import type { Config } from '../config/schema.ts';

/** The lake's directory: LIVORA_LAKE_DIR, else `lake/` in the data directory. */
export function lakeDirectory(config: Config, dataDir: string): string {
  return config.lake.dir ? path.resolve(config.lake.dir) : path.join(dataDir, 'lake');
}

/** The lake's store chosen by configuration: a directory, S3, GCS or Azure Blob storage. */
export async function openLakeStore(config: Config, dataDir: string): Promise<ObjectStore> {
  const { lake } = config;
  // loadConfig has checked that a cloud lake has its bucket (and Azure its connection string).
  const bucket = lake.bucket as string;
  const prefix = lake.prefix ? { prefix: lake.prefix } : {};
  switch (lake.store) {
    case 'aws': {
      // Cloud SDKs are loaded only when chosen: they cost start-up time and memory.
      const { createS3ObjectStore } = await import('@livora/adapters/aws');
      return createS3ObjectStore({
        bucket,
        region: config.stream.awsRegion,
        ...prefix,
        // S3-compatible stores and emulators want path-style addresses.
        ...(lake.endpoint ? { endpoint: lake.endpoint, forcePathStyle: true } : {}),
      });
    }
    case 'gcp': {
      const { createGcsObjectStore } = await import('@livora/adapters/gcp');
      return createGcsObjectStore({ bucket, ...prefix, ...(lake.endpoint ? { apiEndpoint: lake.endpoint } : {}) });
    }
    case 'azure': {
      const { createBlobObjectStore } = await import('@livora/adapters/azure');
      return createBlobObjectStore({
        connectionString: lake.azureConnectionString as string,
        container: bucket,
        ...prefix,
      });
    }
    case 'local':
      return createDirectoryObjectStore(lakeDirectory(config, dataDir));
  }
}

/** Where the lake is, in a few words, for the start-up banner. */
export function describeLake(config: Config, dataDir: string): string {
  const { lake } = config;
  const where = `${lake.bucket}${lake.prefix ? `/${lake.prefix}` : ''}`;
  switch (lake.store) {
    case 'aws':
      return `s3://${where}`;
    case 'gcp':
      return `gs://${where}`;
    case 'azure':
      return `az://${where}`;
    case 'local':
      return lakeDirectory(config, dataDir);
  }
}
