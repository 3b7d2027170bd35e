import { BigqueryDataset } from '@cdktf/provider-google/lib/bigquery-dataset/index.js';
import { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import type { EncryptionKey, WarehouseResource } from '../platform.ts';

/** The warehouse: a BigQuery dataset in the deployment's region, tables encrypted with its key by default. */
export class GcpWarehouse extends Construct implements WarehouseResource {
  readonly name: string;

  constructor(scope: Construct, id: string, deployment: Deployment, profile: Profile, key: EncryptionKey) {
    super(scope, id);
    const dataset = new BigqueryDataset(this, 'dataset', {
      datasetId: `livora_${deployment.client}_${deployment.env}_analytics`.replaceAll('-', '_').slice(0, 1024),
      location: deployment.region,
      description: `Livora ${deployment.client} ${deployment.env}: curated tables and analytics`,
      defaultEncryptionConfiguration: { kmsKeyName: key.id },
      deleteContentsOnDestroy: !profile.deletionProtection,
    });
    this.name = dataset.datasetId;
  }
}
