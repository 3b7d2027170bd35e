import { isDeepStrictEqual } from 'node:util';
import { Compile } from 'typebox/compile';
import { LivoraError } from '../errors.ts';
import { describeErrors } from '../events/check-event.ts';
import { createAsyncCache } from '../shared/async-cache.ts';
import type { TenantService } from '../tenants/tenants.ts';
import { backwardIncompatibilities } from './compatibility.ts';
import { type ObjectSchema, parseEventSchema } from './event-schema.ts';
import type { SchemaStore, SchemaVersion } from './schema-store.ts';

/** Checks the properties of a track event against the latest schema of its name, if any. */
export interface TenantSchemas {
  /** null: no schema registered for this event name. */
  check(eventName: string, properties: unknown): { version: number; error: string | null } | null;
}

/**
 * The schema registry: per-tenant, versioned event schemas. A new version must be
 * backward compatible with every earlier one; registering the latest schema again is a
 * no-op that answers the existing version.
 */
export function createSchemaRegistry(deps: { store: SchemaStore; tenants: TenantService }) {
  const { store, tenants } = deps;

  const compiledByTenant = createAsyncCache<string, TenantSchemas>({
    ttlMs: 5 * 60_000,
    maxEntries: 10_000,
    async load(tenantId) {
      const latest = await store.latestOfTenant(tenantId);
      const checkers = new Map(
        latest.map((v) => {
          const validator = Compile(v.schema as never);
          return [v.event, { version: v.version, validator }] as const;
        }),
      );
      return {
        check(eventName, properties) {
          const entry = checkers.get(eventName);
          if (!entry) return null;
          const value = properties ?? {};
          return entry.validator.Check(value)
            ? { version: entry.version, error: null }
            : { version: entry.version, error: describeErrors(entry.validator.Errors(value)) };
        },
      };
    },
  });

  async function versionsOrThrow(tenantId: string, event: string): Promise<SchemaVersion[]> {
    const versions = await store.versions(tenantId, event);
    if (versions.length === 0) throw new LivoraError('LIVORA_SCHEMA_NOT_FOUND', `no schema for event "${event}"`);
    return versions;
  }

  return {
    async register(
      tenantId: string,
      event: string,
      candidate: unknown,
      description: string | null = null,
    ): Promise<{ created: boolean; version: SchemaVersion }> {
      await tenants.require(tenantId);
      const parsed = parseEventSchema(candidate);
      if (!('schema' in parsed)) {
        throw new LivoraError('LIVORA_SCHEMA_INVALID', parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; '), {
          issues: parsed.issues,
        });
      }
      for (let attempt = 0; attempt < 3; attempt++) {
        const versions = await store.versions(tenantId, event);
        const latest = versions.at(-1);
        if (latest && isDeepStrictEqual(latest.schema, parsed.schema)) return { created: false, version: latest };
        const issues = versions.flatMap((v) =>
          backwardIncompatibilities(v.schema, parsed.schema).map((issue) => ({ ...issue, version: v.version })),
        );
        if (issues.length > 0) {
          throw new LivoraError(
            'LIVORA_SCHEMA_INCOMPATIBLE',
            `not backward compatible: ${issues.map((i) => `${i.path} ${i.message} (v${i.version})`).join('; ')}`,
            { issues },
          );
        }
        const inserted = await store.insert({
          tenantId,
          event,
          version: (latest?.version ?? 0) + 1,
          schema: parsed.schema as ObjectSchema,
          description,
        });
        if (inserted) {
          compiledByTenant.invalidate((t) => t === tenantId);
          return { created: true, version: inserted };
        }
      }
      throw new LivoraError('LIVORA_SCHEMA_CONFLICT', 'concurrent registrations of this event schema: retry');
    },
    versions: versionsOrThrow,
    async version(tenantId: string, event: string, version: number): Promise<SchemaVersion> {
      const found = (await versionsOrThrow(tenantId, event)).find((v) => v.version === version);
      if (!found) throw new LivoraError('LIVORA_SCHEMA_NOT_FOUND', `event "${event}" has no version ${version}`);
      return found;
    },
    list: (tenantId: string) => store.latestOfTenant(tenantId),
    /** The compiled latest schemas of a tenant, cached until a schema of the tenant changes. */
    forTenant: (tenantId: string) => compiledByTenant.get(tenantId),
    /** Called when the schemas of a tenant (null: any tenant) changed elsewhere. */
    forget(tenantId: string | null) {
      compiledByTenant.invalidate(tenantId === null ? undefined : (t) => t === tenantId);
    },
  };
}

export type SchemaRegistry = ReturnType<typeof createSchemaRegistry>;
