import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region/index.js';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias/index.js';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key/index.js';
import { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import type { EncryptionKey } from '../platform.ts';

/**
 * The deployment's customer-managed key, rotated yearly. Its policy leaves the account
 * in charge (IAM grants the services), and lets the AWS services that encrypt on the
 * account's behalf use it: CloudWatch Logs, CloudTrail, CloudWatch alarms (into SNS) and
 * CloudFront (reading the console's bucket), each only for this account.
 */
export class AwsEncryptionKey extends Construct implements EncryptionKey {
  readonly id: string;

  constructor(scope: Construct, id: string, deployment: Deployment, profile: Profile) {
    super(scope, id);
    const account = new DataAwsCallerIdentity(this, 'account').accountId;
    const region = new DataAwsRegion(this, 'region').region;
    const service = (sid: string, principal: string, actions: string[]) => ({
      Sid: sid,
      Effect: 'Allow',
      Principal: { Service: principal },
      Action: actions,
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': account } },
    });
    const key = new KmsKey(this, 'key', {
      description: `Livora ${deployment.client} ${deployment.env}: every store's encryption`,
      enableKeyRotation: true,
      deletionWindowInDays: profile.recoveryWindowDays,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'Account',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${account}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'Logs',
            Effect: 'Allow',
            Principal: { Service: `logs.${region}.amazonaws.com` },
            Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
            Resource: '*',
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${account}:*` } },
          },
          service('CloudTrail', 'cloudtrail.amazonaws.com', ['kms:GenerateDataKey*', 'kms:DescribeKey']),
          service('Alarms', 'cloudwatch.amazonaws.com', ['kms:GenerateDataKey*', 'kms:Decrypt']),
          service('Console', 'cloudfront.amazonaws.com', ['kms:Decrypt']),
        ],
      }),
    });
    new KmsAlias(this, 'alias', {
      name: `alias/livora-${deployment.client}-${deployment.env}`,
      targetKeyId: key.keyId,
    });
    this.id = key.arn;
  }
}
