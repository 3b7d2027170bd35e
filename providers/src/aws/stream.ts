import { KinesisStream } from '@cdktf/provider-aws/lib/kinesis-stream/index.js';
import { Construct } from 'constructs';
import type { Deployment } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { EncryptionKey, EventStreamResource } from '../platform.ts';

/** The event log: a Kinesis stream, on-demand (it scales with traffic), 24 hours of retention, KMS-encrypted. */
export class AwsEventStream extends Construct implements EventStreamResource {
  readonly name: string;
  readonly arn: string;

  constructor(scope: Construct, id: string, deployment: Deployment, key: EncryptionKey) {
    super(scope, id);
    const stream = new KinesisStream(this, 'stream', {
      name: resourceName(deployment, 'events', { max: 128 }),
      streamModeDetails: { streamMode: 'ON_DEMAND' },
      retentionPeriod: 24,
      encryptionType: 'KMS',
      kmsKeyId: key.id,
    });
    this.name = stream.name;
    this.arn = stream.arn;
  }
}
