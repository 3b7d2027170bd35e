import { describe, expect, it } from 'vitest';
import { type SynthesizedResource as Resource, resourcesOf, synthesize } from '../src/synthesize.ts';
import {
  attr,
  combinationsOf,
  expectEverythingTagged,
  expectNamesWithin,
  expectStacksOfPattern,
  inventoryOf,
  ofType,
} from './policy-support.ts';

const combinations = combinationsOf('azure', 'westeurope');
/** A reference to the deployment's Key Vault key, in its stack or through core's outputs. */
const KEY = /azurerm_key_vault_key\.key_[A-F0-9]+\.versionless_id|azurerm_key_vault_keykey_[A-F0-9]+versionless_id/;
type Fields = Record<string, unknown> | undefined;
const field = (r: Resource | undefined, name: string) => attr(r, name) as Fields;

describe.each(combinations)('Azure $env, pattern $pattern', (deployment) => {
  const stacks = synthesize(deployment);
  const resources = resourcesOf(stacks);
  const prod = deployment.env === 'prod';

  it('has the stacks of its pattern', () => expectStacksOfPattern(stacks, deployment));

  it('tags every taggable resource with client, env, pattern, stack and managed-by', () => {
    expect(expectEverythingTagged(stacks, deployment, 'tags')).toBeGreaterThan(15);
  });

  it('encrypts every store with the customer-managed key', () => {
    const keyed: [string, (r: Resource) => unknown][] = [
      ['azurerm_storage_account', (r) => field(r, 'customer_managed_key')?.key_vault_key_id],
      ['azurerm_postgresql_flexible_server', (r) => field(r, 'customer_managed_key')?.key_vault_key_id],
      ['azurerm_managed_redis', (r) => field(r, 'customer_managed_key')?.key_vault_key_id],
      ['azurerm_eventhub_namespace_customer_managed_key', (r) => (attr(r, 'key_vault_key_ids') as string[])[0]],
      ['azurerm_synapse_workspace', (r) => field(r, 'customer_managed_key')?.key_versionless_id],
    ];
    for (const [type, key] of keyed) {
      const found = ofType(resources, type);
      expect(found.length, type).toBeGreaterThan(0);
      for (const r of found) expect(key(r), `${type}.${r.id}`).toMatch(KEY);
    }
    // Every Event Hubs namespace has its key.
    expect(ofType(resources, 'azurerm_eventhub_namespace_customer_managed_key')).toHaveLength(
      ofType(resources, 'azurerm_eventhub_namespace').length,
    );
    for (const s of ofType(resources, 'azurerm_storage_account'))
      expect(attr(s, 'infrastructure_encryption_enabled'), s.id).toBe(true);
    expect(attr(ofType(resources, 'azurerm_synapse_sql_pool')[0], 'data_encrypted')).toBe(true);
  });

  it('leaves no storage, database or stream open to the internet', () => {
    for (const s of ofType(resources, 'azurerm_storage_account')) {
      expect(attr(s, 'allow_nested_items_to_be_public'), s.id).toBe(false);
      expect(field(s, 'network_rules')?.default_action, s.id).toBe('Deny');
      expect(attr(s, 'min_tls_version'), s.id).toBe('TLS1_2');
    }
    for (const c of ofType(resources, 'azurerm_storage_container'))
      expect(attr(c, 'container_access_type')).toBe('private');
    for (const db of ofType(resources, 'azurerm_postgresql_flexible_server'))
      expect(attr(db, 'public_network_access_enabled')).toBe(false);
    for (const redis of ofType(resources, 'azurerm_managed_redis'))
      expect(attr(redis, 'public_network_access')).toBe('Disabled');
    expect(ofType(resources, 'azurerm_private_endpoint').length).toBeGreaterThan(0); // how the services reach Redis
    for (const vault of ofType(resources, 'azurerm_key_vault')) {
      expect(field(vault, 'network_acls')?.default_action).toBe('Deny');
      expect(attr(vault, 'purge_protection_enabled')).toBe(true);
    }
    for (const ns of ofType(resources, 'azurerm_eventhub_namespace'))
      expect((attr(ns, 'network_rulesets') as { default_action: string }[])[0]?.default_action).toBe('Deny');
    for (const w of ofType(resources, 'azurerm_synapse_workspace')) {
      expect(attr(w, 'public_network_access_enabled')).toBe(false);
      expect(attr(w, 'azuread_authentication_only')).toBe(true);
    }
    // Only the API takes traffic from outside.
    const external = ofType(resources, 'azurerm_container_app').filter((a) => field(a, 'ingress')?.external_enabled);
    expect(external.map((a) => a.id)).toEqual([expect.stringMatching(/^service-api_app/)]);
  });

  it(prod ? 'is highly available and protected from deletion' : 'is not protected from deletion', () => {
    const [db] = ofType(resources, 'azurerm_postgresql_flexible_server');
    expect(field(db, 'high_availability')?.mode).toBe(deployment.env === 'dev' ? undefined : 'ZoneRedundant');
    expect(attr(ofType(resources, 'azurerm_managed_redis')[0], 'high_availability_enabled')).toBe(
      deployment.env !== 'dev',
    );
    const locks = ofType(resources, 'azurerm_management_lock');
    expect(locks.length > 0).toBe(prod);
    for (const lock of locks) expect(attr(lock, 'lock_level')).toBe('CanNotDelete');
    expect(attr(ofType(resources, 'azurerm_container_app_environment')[0], 'zone_redundancy_enabled')).toBe(
      deployment.env !== 'dev',
    );
  });

  it(deployment.pattern === 'B' ? 'has no console or CRM resources' : 'has the console and its sign-in', () => {
    const consoleOrCrm = resources.filter(
      (r) => r.type.startsWith('azurerm_cdn_frontdoor') || r.type.startsWith('azuread_'),
    );
    if (deployment.pattern === 'B') expect(consoleOrCrm).toEqual([]);
    else
      expect(consoleOrCrm.map((r) => r.type)).toEqual(
        expect.arrayContaining(['azurerm_cdn_frontdoor_profile', 'azuread_application']),
      );
  });

  it('holds no secret value in plain text', () => {
    for (const s of ofType(resources, 'azurerm_key_vault_secret')) {
      const value = String(attr(s, 'value'));
      // Built of references (a generated password, a connection string, an access key), or empty for ops to fill.
      expect(value === '' || value.includes('${'), `${s.id}: ${value}`).toBe(true);
    }
    for (const db of ofType(resources, 'azurerm_postgresql_flexible_server'))
      expect(attr(db, 'administrator_password')).toMatch(/^\$\{random_password\./);
    for (const app of ofType(resources, 'azurerm_container_app')) {
      const [container] = (field(app, 'template')?.container ?? []) as { env: { name: string; value?: string }[] }[];
      const plain = (container?.env ?? []).filter((e) => e.value !== undefined).map((e) => e.name);
      expect(
        plain.filter((n) => /PASSWORD|SECRET|API_KEY|CONNECTION_STRING/.test(n)),
        app.id,
      ).toEqual([]);
    }
  });

  it('lets the Internet in only to the API (HTTP/S into the services subnet), and scales every role', () => {
    for (const nsg of ofType(resources, 'azurerm_network_security_group')) {
      const rules = attr(nsg, 'security_rule') as Record<string, unknown>[];
      const allowed = rules.filter((r) => r.access === 'Allow' && r.source_address_prefix === 'Internet');
      if (String(attr(nsg, 'name')).includes('services-nsg'))
        expect(allowed.map((r) => r.destination_port_ranges)).toEqual([['80', '443']]);
      else expect(allowed).toEqual([]);
      expect(rules.some((r) => r.access === 'Deny' && r.source_address_prefix === 'Internet')).toBe(true);
    }
    for (const app of ofType(resources, 'azurerm_container_app')) {
      const template = field(app, 'template') as Record<string, unknown>;
      const external = field(app, 'ingress')?.external_enabled === true;
      if (external) expect(template.http_scale_rule, String(attr(app, 'name'))).toHaveLength(1);
      else expect((template.custom_scale_rule as { custom_rule_type: string }[])[0]?.custom_rule_type).toBe('cpu');
      expect(Number(template.max_replicas)).toBeGreaterThanOrEqual(Number(template.min_replicas));
    }
  });

  it('keeps names within Azure limits', () => {
    expectNamesWithin(resources, [
      ['azurerm_storage_account', 'name', 24, /^[a-z0-9]{3,24}$/],
      ['azurerm_key_vault', 'name', 24, /^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/],
      ['azurerm_eventhub_namespace', 'name', 50, /^[a-zA-Z][a-zA-Z0-9-]{4,48}[a-zA-Z0-9]$/],
      ['azurerm_postgresql_flexible_server', 'name', 63, /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/],
      ['azurerm_synapse_workspace', 'name', 50, /^[a-z0-9-]+$/],
      ['azurerm_container_app', 'name', 32, /^[a-z][a-z0-9-]*[a-z0-9]$/],
      ['azurerm_container_app_environment', 'name', 60],
      ['azurerm_managed_redis', 'name', 60],
      ['azurerm_cdn_frontdoor_endpoint', 'name', 46],
      ['azurerm_resource_group', 'name', 90],
      ['azurerm_portal_dashboard', 'name', 160, /^[a-zA-Z0-9-]+$/],
    ]);
  });

  it('matches its snapshot: every resource and a digest of its settings', () => {
    expect(inventoryOf(resources)).toMatchSnapshot();
  });
});
