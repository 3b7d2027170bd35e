import { RedshiftserverlessNamespace } from '@cdktf/provider-aws/lib/redshiftserverless-namespace/index.js';
import { RedshiftserverlessWorkgroup } from '@cdktf/provider-aws/lib/redshiftserverless-workgroup/index.js';
import { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import { resourceName } from '../names.ts';
import type { EncryptionKey, Lake, Network, WarehouseResource } from '../platform.ts';
import { serviceRole } from './iam.ts';
import type { AwsLake } from './lake.ts';

/** Redshift Processing Units: what the workgroup starts from. */
const BASE_CAPACITY = { small: 8, medium: 16, large: 32 } as const;

/**
 * Redshift Serverless: a namespace encrypted with the deployment's key (its admin
 * password kept by Redshift in Secrets Manager), a private workgroup in the network, and
 * the role its COPY assumes to read the lake (the namespace's default: `IAM_ROLE default`).
 */
export class AwsWarehouse extends Construct implements WarehouseResource {
  readonly name: string;
  readonly credentialsSecretId: string;
  readonly workgroupArn: string;

  constructor(
    scope: Construct,
    id: string,
    deployment: Deployment,
    profile: Profile,
    network: Network,
    key: EncryptionKey,
    lake: Lake,
  ) {
    super(scope, id);
    const lakeArn = (lake as AwsLake).arn;
    const copy = serviceRole(
      this,
      'copy-role',
      resourceName(deployment, 'warehouse-copy', { max: 64 }),
      ['redshift.amazonaws.com', 'redshift-serverless.amazonaws.com'],
      [
        { Action: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation'], Resource: [lakeArn, `${lakeArn}/*`] },
        { Action: ['kms:Decrypt'], Resource: key.id },
      ],
    );
    const namespace = new RedshiftserverlessNamespace(this, 'namespace', {
      namespaceName: resourceName(deployment, 'warehouse', { max: 64 }),
      dbName: 'livora',
      adminUsername: 'livora',
      manageAdminPassword: true,
      adminPasswordSecretKmsKeyId: key.id,
      kmsKeyId: key.id,
      iamRoles: [copy.arn],
      defaultIamRoleArn: copy.arn,
      logExports: ['userlog', 'connectionlog'],
    });
    const workgroup = new RedshiftserverlessWorkgroup(this, 'workgroup', {
      namespaceName: namespace.namespaceName,
      workgroupName: resourceName(deployment, 'analytics', { max: 64 }),
      baseCapacity: BASE_CAPACITY[profile.size],
      publiclyAccessible: false,
      enhancedVpcRouting: true,
      subnetIds: network.privateSubnetIds,
      securityGroupIds: [network.dataSecurityGroupId],
    });
    this.name = workgroup.workgroupName;
    this.workgroupArn = workgroup.arn;
    this.credentialsSecretId = namespace.adminPasswordSecretArn;
  }
}
