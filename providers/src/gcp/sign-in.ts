import { IdentityPlatformConfig } from '@cdktf/provider-google/lib/identity-platform-config/index.js';
import { Construct } from 'constructs';
import type { Deployment } from '../deployment.ts';
import type { SignIn, StaticSite } from '../platform.ts';
import { gcpProject } from './provider.ts';

/**
 * Console sign-in for CRM users: Identity Platform (email and password, MFA available,
 * only admins create users), an OIDC issuer the engine's login is pointed at; the console's
 * callback is an authorized domain.
 */
export class GcpSignIn extends Construct implements SignIn {
  readonly issuer: string;
  readonly clientId: string;
  /** Custom claims an admin sets per user with the Admin SDK (runbooks/deploy.md). */
  readonly claims = { tenant: 'livora_tenant', role: 'livora_role' };

  constructor(scope: Construct, id: string, deployment: Deployment, console: StaticSite) {
    super(scope, id);
    const project = gcpProject(deployment);
    new IdentityPlatformConfig(this, 'config', {
      project,
      signIn: { email: { enabled: true, passwordRequired: true } },
      mfa: { state: 'ENABLED', enabledProviders: ['PHONE_SMS'] },
      client: { permissions: { disabledUserSignup: true, disabledUserDeletion: true } },
      authorizedDomains: [`${project}.firebaseapp.com`, console.domain],
    });
    this.issuer = `https://securetoken.google.com/${project}`;
    this.clientId = project;
  }
}
