import { CdnFrontdoorEndpoint } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-endpoint/index.js';
import { CdnFrontdoorOrigin } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-origin/index.js';
import { CdnFrontdoorOriginGroup } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-origin-group/index.js';
import { CdnFrontdoorProfile } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-profile/index.js';
import { CdnFrontdoorRoute } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-route/index.js';
import { Construct } from 'constructs';
import { resourceName } from '../names.ts';
import type { StaticSite } from '../platform.ts';
import type { AzureEncryptionKey } from './keys.ts';
import type { AzurePlace } from './resource-group.ts';
import { privateStorageAccount } from './storage-account.ts';

/**
 * The console: a storage account's static website (firewalled, the deployment's key;
 * unknown paths answered by `index.html`) behind Azure Front Door Premium, which reaches
 * it over a private link (its connection is approved once: runbooks/deploy.md), HTTPS only.
 */
export class AzureStaticSite extends Construct implements StaticSite {
  readonly url: string;
  readonly domain: string;

  constructor(scope: Construct, id: string, at: AzurePlace, key: AzureEncryptionKey) {
    super(scope, id);
    const { deployment, profile, group } = at;
    const files = privateStorageAccount(this, 'files', {
      name: resourceName(deployment, 'console', { max: 24, separator: '' }),
      group,
      key,
      subnetIds: [],
      recoveryDays: profile.recoveryWindowDays,
      redundancy: profile.highAvailability ? 'ZRS' : 'LRS',
      staticWebsite: true,
    });
    const cdn = new CdnFrontdoorProfile(this, 'cdn', {
      name: resourceName(deployment, 'console-cdn', { max: 90 }),
      resourceGroupName: group.name,
      skuName: 'Premium_AzureFrontDoor',
    });
    const endpoint = new CdnFrontdoorEndpoint(this, 'endpoint', {
      name: resourceName(deployment, 'console', { max: 46 }),
      cdnFrontdoorProfileId: cdn.id,
    });
    const origins = new CdnFrontdoorOriginGroup(this, 'origins', {
      name: 'console',
      cdnFrontdoorProfileId: cdn.id,
      loadBalancing: {},
    });
    const origin = new CdnFrontdoorOrigin(this, 'origin', {
      name: 'website',
      cdnFrontdoorOriginGroupId: origins.id,
      hostName: files.primaryWebHost,
      originHostHeader: files.primaryWebHost,
      certificateNameCheckEnabled: true,
      privateLink: {
        location: group.location,
        privateLinkTargetId: files.id,
        targetType: 'web',
        requestMessage: 'Livora console',
      },
    });
    new CdnFrontdoorRoute(this, 'route', {
      name: 'console',
      cdnFrontdoorEndpointId: endpoint.id,
      cdnFrontdoorOriginGroupId: origins.id,
      cdnFrontdoorOriginIds: [origin.id],
      supportedProtocols: ['Https'],
      httpsRedirectEnabled: false,
      patternsToMatch: ['/*'],
      forwardingProtocol: 'HttpsOnly',
      linkToDefaultDomain: true,
      cache: {
        queryStringCachingBehavior: 'IgnoreQueryString',
        compressionEnabled: true,
        contentTypesToCompress: ['text/html', 'text/css', 'application/javascript'],
      },
    });
    this.domain = endpoint.hostName;
    this.url = `https://${endpoint.hostName}`;
  }
}
