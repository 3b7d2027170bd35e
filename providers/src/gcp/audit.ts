import { LoggingProjectBucketConfig } from '@cdktf/provider-google/lib/logging-project-bucket-config/index.js';
import { LoggingProjectSink } from '@cdktf/provider-google/lib/logging-project-sink/index.js';
import { ProjectIamAuditConfig } from '@cdktf/provider-google/lib/project-iam-audit-config/index.js';
import { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import type { EncryptionKey } from '../platform.ts';
import { gcpProject } from './provider.ts';

/**
 * Cloud Audit Logs: admin and data access logged for every service, routed to a log bucket
 * of their own, encrypted with the deployment's key and kept for the profile's retention.
 */
export class GcpAuditTrail extends Construct {
  constructor(scope: Construct, id: string, deployment: Deployment, profile: Profile, key: EncryptionKey) {
    super(scope, id);
    const project = gcpProject(deployment);
    new ProjectIamAuditConfig(this, 'all-services', {
      project,
      service: 'allServices',
      auditLogConfig: [{ logType: 'ADMIN_READ' }, { logType: 'DATA_READ' }, { logType: 'DATA_WRITE' }],
    });
    const bucket = new LoggingProjectBucketConfig(this, 'bucket', {
      project,
      location: deployment.region,
      bucketId: 'livora-audit',
      retentionDays: profile.logRetentionDays,
      cmekSettings: { kmsKeyName: key.id },
      locked: profile.deletionProtection,
    });
    new LoggingProjectSink(this, 'sink', {
      name: 'livora-audit',
      destination: `logging.googleapis.com/${bucket.id}`,
      filter: 'logName:"cloudaudit.googleapis.com"',
      uniqueWriterIdentity: true,
    });
  }
}
