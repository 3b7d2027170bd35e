import { CLOUDS, LIVORA_ROLES, PATTERNS } from '@livora/providers';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../runtime/src/auth/roles.ts';
import { loadConfig } from '../../runtime/src/config/load.ts';
import { resourcesOf, type SynthesizedResource, synthesize } from '../src/synthesize.ts';
import { ofType } from './policy-support.ts';

/** What a secret holds, in its form (the engine checks forms). */
const SECRET_VALUES: Record<string, string> = {
  LIVORA_EVENT_HUBS_CONNECTION_STRING:
    'Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=v',
  AZURE_STORAGE_CONNECTION_STRING:
    'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=a2V5;EndpointSuffix=core.windows.net',
  REDIS_URL: 'rediss://:key@acme.westeurope.redis.azure.net:10000',
};

/** A container's settings as its platform gives them: plain values, and secrets (a stand-in value each). */
function settingsOf(r: SynthesizedResource): Record<string, string> | null {
  const env = new Map<string, string>();
  const secretOf = (name: string) => SECRET_VALUES[name] ?? 'from-a-secret-0123456789-0123456789';
  if (r.type === 'aws_ecs_task_definition') {
    const [c] = JSON.parse(r.attributes.container_definitions as string) as {
      environment: { name: string; value: string }[];
      secrets: { name: string }[];
    }[];
    for (const e of c?.environment ?? []) env.set(e.name, e.value);
    for (const s of c?.secrets ?? []) env.set(s.name, secretOf(s.name));
  } else if (r.type === 'google_cloud_run_v2_service' || r.type === 'google_cloud_run_v2_worker_pool') {
    const [c] = (r.attributes.template as { containers: { env: { name: string; value?: string }[] }[] }).containers;
    for (const e of c?.env ?? []) env.set(e.name, e.value ?? secretOf(e.name));
  } else if (r.type === 'azurerm_container_app') {
    const [c] = (r.attributes.template as { container: { env: { name: string; value?: string }[] }[] }).container;
    for (const e of c?.env ?? []) env.set(e.name, e.value ?? secretOf(e.name));
  } else return null;
  return Object.fromEntries(env);
}

describe('the settings each cloud gives the engine’s containers', () => {
  it.each(CLOUDS)('%s: every role’s are settings the engine takes (unknown or invalid ones would stop it)', (cloud) => {
    for (const pattern of PATTERNS) {
      const roles = resourcesOf(synthesize({ client: 'acme', cloud, env: 'prod', pattern, region: 'eu-west-1' }))
        .map((r) => ({ id: r.id, env: settingsOf(r) }))
        .filter((r): r is { id: string; env: Record<string, string> } => r.env !== null);
      expect(roles).toHaveLength(3);
      for (const role of roles) {
        // The secrets' values arrive at start: a database password instead of one in the URL.
        // and Terraform variables their value (TEMPORAL_TLS: the temporal_tls variable).
        const env = {
          ...role.env,
          DATABASE_URL: (role.env.DATABASE_URL ?? '').replace(/\$\{[^}]+\}/g, 'db.internal'),
          ...(role.env.TEMPORAL_TLS
            ? { TEMPORAL_TLS: role.env.TEMPORAL_TLS.replace(/^\$\{var\.temporal_tls\}$/, 'false') }
            : {}),
        };
        expect(() => loadConfig(env), `${cloud} ${pattern} ${role.id}`).not.toThrow();
        expect(env.DATABASE_URL, role.id).toMatch(/^postgres:\/\//);
      }
    }
  });

  it.each(CLOUDS)(
    '%s: the API accepts the tokens of the console’s sign-in (Pattern A), read from the crm stack',
    (cloud) => {
      for (const pattern of PATTERNS) {
        const stacks = synthesize({ client: 'acme', cloud, env: 'staging', pattern, region: 'eu-west-1' });
        const api = resourcesOf(stacks).find(
          (r) => r.stack === 'analytics' && /^service-api_/.test(r.id) && settingsOf(r),
        );
        const env = settingsOf(api as SynthesizedResource) ?? {};
        if (pattern === 'B') {
          expect(env.LIVORA_OIDC_ISSUER).toBeUndefined();
          continue;
        }
        expect(env.LIVORA_OIDC_ISSUER).toMatch(/^https:\/\//);
        expect(env.LIVORA_OIDC_AUDIENCE).toBeTruthy();
        // Where the sign-in puts a user's tenant and role.
        expect(env.LIVORA_OIDC_TENANT_CLAIM).toBeTruthy();
        expect(env.LIVORA_OIDC_ROLE_CLAIM).toBeTruthy();
        const resources = resourcesOf(stacks);
        if (cloud === 'aws') {
          expect(env.LIVORA_OIDC_TENANT_CLAIM).toBe('custom:livora_tenant');
          expect(env.LIVORA_OIDC_ROLE_CLAIM).toBe('cognito:groups');
          expect(
            ofType(resources, 'aws_cognito_user_group')
              .map((g) => g.attributes.name)
              .sort(),
          ).toEqual([...ROLES].sort());
          const [pool] = ofType(resources, 'aws_cognito_user_pool');
          expect(pool?.attributes.schema).toEqual([expect.objectContaining({ name: 'livora_tenant' })]);
        }
        if (cloud === 'azure') {
          expect(env.LIVORA_OIDC_ROLE_CLAIM).toBe('roles');
          const [app] = ofType(resources, 'azuread_application');
          const appRoles = app?.attributes.app_role as { value: string; id: string }[];
          expect(appRoles.map((r) => r.value)).toEqual([...ROLES]);
          expect(new Set(appRoles.map((r) => r.id)).size).toBe(ROLES.length);
        }
        // Where the issuer is made in the crm stack, the API reads it through that stack's state.
        if (cloud !== 'gcp')
          expect(`${env.LIVORA_OIDC_ISSUER} ${env.LIVORA_OIDC_AUDIENCE}`).toMatch(/livora-acme-staging-crm/);
      }
    },
  );

  it('makes the sign-in’s groups and app roles of the engine’s roles', () => {
    expect([...LIVORA_ROLES]).toEqual([...ROLES]);
  });
});
