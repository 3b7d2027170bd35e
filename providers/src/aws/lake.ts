import { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { EncryptionKey, Lake } from '../platform.ts';
import { PrivateBucket } from './private-bucket.ts';

const DAY = 1;
/** Raw events are kept a year; curated snapshots and load manifests three. */
const RAW_DAYS = 365 * DAY;
const CURATED_DAYS = 3 * 365 * DAY;

/** The Parquet lake: a private, versioned, KMS-encrypted bucket with raw and curated lifecycles. */
export class AwsLake extends Construct implements Lake {
  readonly bucket: string;
  readonly arn: string;

  constructor(scope: Construct, id: string, deployment: Deployment, profile: Profile, key: EncryptionKey) {
    super(scope, id);
    const expire = (prefix: string, days: number) => ({
      id: `${prefix.replace('/', '')}-after-${days}-days`,
      status: 'Enabled',
      filter: [{ prefix }],
      expiration: [{ days }],
      noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
    });
    const lake = new PrivateBucket(this, 'lake', {
      name: resourceName(deployment, 'lake'),
      key,
      forceDestroy: !profile.deletionProtection,
      lifecycle: [
        expire('events/', RAW_DAYS),
        expire('sessions/', CURATED_DAYS),
        expire('profiles/', CURATED_DAYS),
        expire('loads/', 7),
      ],
    });
    this.bucket = lake.bucket.bucket;
    this.arn = lake.bucket.arn;
  }
}
