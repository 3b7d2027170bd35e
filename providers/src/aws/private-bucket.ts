import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import { Construct } from 'constructs';
import type { EncryptionKey } from '../platform.ts';

/**
 * An S3 bucket that is never public (every public-access block on, ACLs off), encrypted
 * with the deployment's key (bucket keys on: fewer KMS calls), versioned, with the
 * lifecycle rules given. Destroyable with its objects only where the profile allows.
 */
export class PrivateBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(
    scope: Construct,
    id: string,
    options: {
      name: string;
      key: EncryptionKey;
      forceDestroy: boolean;
      lifecycle?: S3BucketLifecycleConfigurationRule[];
    },
  ) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', { bucket: options.name, forceDestroy: options.forceDestroy });
    const bucket = this.bucket.id;
    new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: options.key.id },
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketVersioningA(this, 'versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
    if (options.lifecycle) new S3BucketLifecycleConfiguration(this, 'lifecycle', { bucket, rule: options.lifecycle });
  }
}
