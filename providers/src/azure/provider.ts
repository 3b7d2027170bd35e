import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider/index.js';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider/index.js';
import { RandomProvider } from '@cdktf/provider-random/lib/provider/index.js';
import { AzurermBackend, type TerraformStack } from 'cdktf';
import type { Deployment } from '../deployment.ts';
import { deploymentTags, tagEverything } from '../tags.ts';

/**
 * The Azure providers of a stack: the client's subscription (LIVORA_ACCOUNT) reached with
 * the service principal in the environment (ARM_CLIENT_ID, ARM_TENANT_ID, and a secret,
 * certificate or OIDC token: cross-subscription deployment), Entra ID for the console's
 * sign-in, tags on every resource that takes them, and state in a storage container
 * (`account/container` in LIVORA_STATE_BUCKET), locked by blob lease, with Entra ID auth.
 */
export function configureAzure(stack: TerraformStack, deployment: Deployment, stackName: string): void {
  new AzurermProvider(stack, 'azurerm', {
    features: [{ keyVault: [{ purgeSoftDeleteOnDestroy: false, recoverSoftDeletedKeyVaults: true }] }],
    ...(deployment.account ? { subscriptionId: deployment.account } : {}),
    storageUseAzuread: true,
  });
  new AzureadProvider(stack, 'azuread');
  new RandomProvider(stack, 'random');
  tagEverything(stack, 'tags', deploymentTags(deployment, stackName));
  if (deployment.stateBucket) {
    const [account, container = 'tfstate'] = deployment.stateBucket.split('/');
    new AzurermBackend(stack, {
      storageAccountName: account as string,
      containerName: container,
      key: `livora/${deployment.client}/${deployment.env}/${stackName}.tfstate`,
      useAzureadAuth: true,
      ...(deployment.account ? { subscriptionId: deployment.account } : {}),
    });
  }
}
