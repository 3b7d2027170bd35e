import { createHash } from 'node:crypto';
import { Application } from '@cdktf/provider-azuread/lib/application/index.js';
import { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config/index.js';
import { Construct } from 'constructs';
import type { Deployment } from '../deployment.ts';
import { LIVORA_ROLES, type SignIn, type StaticSite } from '../platform.ts';

/**
 * Console sign-in for CRM users: an Entra ID application for the console (a single-page
 * app: authorization code + PKCE, no secret), users of the client's own tenant; the
 * engine's OIDC login is pointed at its issuer and client id.
 */
export class AzureSignIn extends Construct implements SignIn {
  readonly issuer: string;
  readonly clientId: string;
  /** App roles arrive in `roles`; the tenant claim is mapped onto the tokens by the tenant's admin (runbooks/deploy.md). */
  readonly claims = { tenant: 'livora_tenant', role: 'roles' };

  constructor(scope: Construct, id: string, deployment: Deployment, console: StaticSite) {
    super(scope, id);
    const tenant = new DataAzureadClientConfig(this, 'tenant');
    const app = new Application(this, 'console', {
      displayName: `Livora console (${deployment.client} ${deployment.env})`,
      signInAudience: 'AzureADMyOrg',
      singlePageApplication: { redirectUris: [`${console.url}/auth/callback`] },
      appRole: LIVORA_ROLES.map((role) => ({
        allowedMemberTypes: ['User'],
        description: `Livora ${role}s`,
        displayName: role,
        enabled: true,
        id: stableUuid(`livora-app-role-${role}`),
        value: role,
      })),
      requiredResourceAccess: [
        {
          // Microsoft Graph: openid, profile, email.
          resourceAppId: '00000003-0000-0000-c000-000000000000',
          resourceAccess: [
            { id: '37f7f235-527c-4136-accd-4a02d197296e', type: 'Scope' },
            { id: '14dad69e-099b-42c9-810b-d002981feec1', type: 'Scope' },
            { id: '64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0', type: 'Scope' },
          ],
        },
      ],
    });
    this.issuer = `https://login.microsoftonline.com/${tenant.tenantId}/v2.0`;
    this.clientId = app.clientId;
  }
}

/** A UUID that stays the same for the same `name` (an app role's id must not change between deploys). */
function stableUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
