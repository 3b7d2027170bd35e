import { CognitoUserGroup } from '@cdktf/provider-aws/lib/cognito-user-group/index.js';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool/index.js';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client/index.js';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain/index.js';
import { Construct } from 'constructs';
import type { Deployment, Profile } from '../deployment.ts';
import { resourceName } from '../names.ts';
import { LIVORA_ROLES, type SignIn, type StaticSite } from '../platform.ts';

/**
 * Console sign-in for CRM users: a Cognito user pool (MFA available, strong passwords)
 * and a public client for the console's authorization code + PKCE flow, whose issuer the
 * engine's OIDC login is pointed at (LIVORA_OIDC_ISSUER, LIVORA_OIDC_CLIENT_ID). A user's
 * tenant is the custom attribute `livora_tenant`, their role the group of that name they
 * are in: both are in the ID token (`custom:livora_tenant`, `cognito:groups`).
 */
export class AwsSignIn extends Construct implements SignIn {
  readonly issuer: string;
  readonly clientId: string;
  readonly claims = { tenant: 'custom:livora_tenant', role: 'cognito:groups' };

  constructor(scope: Construct, id: string, deployment: Deployment, profile: Profile, console: StaticSite) {
    super(scope, id);
    const pool = new CognitoUserPool(this, 'users', {
      name: resourceName(deployment, 'users', { max: 128 }),
      mfaConfiguration: 'OPTIONAL',
      softwareTokenMfaConfiguration: { enabled: true },
      usernameAttributes: ['email'],
      autoVerifiedAttributes: ['email'],
      passwordPolicy: {
        minimumLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: false,
      },
      deletionProtection: profile.deletionProtection ? 'ACTIVE' : 'INACTIVE',
      adminCreateUserConfig: { allowAdminCreateUserOnly: true },
      schema: [
        {
          name: 'livora_tenant',
          attributeDataType: 'String',
          mutable: true,
          developerOnlyAttribute: false,
          stringAttributeConstraints: { minLength: '1', maxLength: '64' },
        },
      ],
    });
    for (const role of LIVORA_ROLES)
      new CognitoUserGroup(this, `group-${role}`, {
        name: role,
        userPoolId: pool.id,
        description: `Livora ${role}s`,
      });
    new CognitoUserPoolDomain(this, 'domain', {
      domain: resourceName(deployment, 'sign-in', { max: 63 }),
      userPoolId: pool.id,
    });
    const client = new CognitoUserPoolClient(this, 'console', {
      name: 'livora-console',
      userPoolId: pool.id,
      generateSecret: false,
      allowedOauthFlowsUserPoolClient: true,
      allowedOauthFlows: ['code'],
      allowedOauthScopes: ['openid', 'email', 'profile'],
      callbackUrls: [`${console.url}/auth/callback`],
      supportedIdentityProviders: ['COGNITO'],
      preventUserExistenceErrors: 'ENABLED',
    });
    this.issuer = `https://cognito-idp.${deployment.region}.amazonaws.com/${pool.id}`;
    this.clientId = client.id;
  }
}
