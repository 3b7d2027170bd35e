import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group/index.js';
import type { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import { resourceName } from '../names.ts';

/** Where a deployment's Azure resources live: one resource group, made with the key (core), named in the others. */
export interface AzureGroup {
  readonly name: string;
  readonly location: string;
  readonly id: string;
}

export function azureResourceGroup(scope: Construct, deployment: Deployment): AzureGroup {
  const group = new ResourceGroup(scope, 'group', {
    name: resourceName(deployment, 'rg', { max: 90 }),
    location: deployment.region,
  });
  return { name: group.name, location: group.location, id: group.id };
}

/** What every Azure construct is made for: the deployment, its environment's profile, its resource group. */
export interface AzurePlace {
  readonly deployment: Deployment;
  readonly profile: Profile;
  readonly group: AzureGroup;
}
