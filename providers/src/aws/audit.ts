import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail/index.js';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { EncryptionKey } from '../platform.ts';
import { PrivateBucket } from './private-bucket.ts';

/**
 * CloudTrail: every region's management events, with log file validation, into a private
 * bucket encrypted with the deployment's key, kept for the profile's log retention.
 */
export class AwsAuditTrail extends Construct {
  constructor(scope: Construct, id: string, deployment: Deployment, profile: Profile, key: EncryptionKey) {
    super(scope, id);
    const account = new DataAwsCallerIdentity(this, 'account').accountId;
    const logs = new PrivateBucket(this, 'logs', {
      name: resourceName(deployment, 'audit'),
      key,
      forceDestroy: !profile.deletionProtection,
      lifecycle: [
        { id: 'expire', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: profile.logRetentionDays }] },
      ],
    });
    const bucket = logs.bucket;
    const trailName = resourceName(deployment, 'audit', { max: 128 });
    const policy = new S3BucketPolicy(this, 'policy', {
      bucket: bucket.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'TrailChecksAcl',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 's3:GetBucketAcl',
            Resource: bucket.arn,
          },
          {
            Sid: 'TrailWrites',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: `${bucket.arn}/AWSLogs/${account}/*`,
            Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
          },
        ],
      }),
    });
    new Cloudtrail(this, 'trail', {
      name: trailName,
      s3BucketName: bucket.id,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      kmsKeyId: key.id,
      dependsOn: [policy],
    });
  }
}
