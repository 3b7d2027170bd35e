import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket/index.js';
import { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { EncryptionKey, Lake } from '../platform.ts';

/** A GCS bucket never public (uniform access, public access prevention), versioned, encrypted with the deployment's key. */
export function privateGcsBucket(
  scope: Construct,
  id: string,
  options: {
    name: string;
    region: string;
    key: EncryptionKey;
    forceDestroy: boolean;
    expire?: readonly { prefix: string; days: number }[];
  },
): StorageBucket {
  return new StorageBucket(scope, id, {
    name: options.name,
    location: options.region,
    forceDestroy: options.forceDestroy,
    uniformBucketLevelAccess: true,
    publicAccessPrevention: 'enforced',
    versioning: { enabled: true },
    encryption: { defaultKmsKeyName: options.key.id },
    lifecycleRule: [
      ...(options.expire ?? []).map(({ prefix, days }) => ({
        action: { type: 'Delete' },
        condition: { age: days, matchesPrefix: [prefix] },
      })),
      // Old versions (overwritten or deleted objects) go after 30 days.
      { action: { type: 'Delete' }, condition: { daysSinceNoncurrentTime: 30, withState: 'ARCHIVED' } },
    ],
  });
}

/** The Parquet lake on GCS: raw events kept a year, curated snapshots three. */
export class GcpLake extends Construct implements Lake {
  readonly bucket: string;

  constructor(scope: Construct, id: string, deployment: Deployment, profile: Profile, key: EncryptionKey) {
    super(scope, id);
    const lake = privateGcsBucket(this, 'lake', {
      name: resourceName(deployment, 'lake'),
      region: deployment.region,
      key,
      forceDestroy: !profile.deletionProtection,
      expire: [
        { prefix: 'events/', days: 365 },
        { prefix: 'sessions/', days: 3 * 365 },
        { prefix: 'profiles/', days: 3 * 365 },
        { prefix: 'loads/', days: 7 },
      ],
    });
    this.bucket = lake.name;
  }
}
