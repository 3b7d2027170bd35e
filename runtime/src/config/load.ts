import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { type Config, ConfigSchema } from './schema.ts';

/** One setting of the configuration: its variable, where it goes, and its schema. */
export interface Setting {
  readonly env: string;
  readonly path: readonly string[];
  readonly schema: TSchema & {
    type?: string;
    default?: unknown;
    description?: string;
    enum?: unknown[];
    secret?: boolean;
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** Every setting, in schema order. */
export function listSettings(schema: TSchema = ConfigSchema, path: string[] = []): Setting[] {
  const node = schema as TSchema & { properties?: Record<string, TSchema>; env?: string };
  if (typeof node.env === 'string') return [{ env: node.env, path, schema: node as Setting['schema'] }];
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) => listSettings(child, [...path, key]));
}

const compiled = Compile(ConfigSchema);

/**
 * Settings of the deployment app (`stacks/src/main.ts`, for `cdktf synth`), not of the
 * engine: an operator's shell may hold both, so the engine lets them be.
 */
const DEPLOYMENT_SETTINGS = new Set([
  'LIVORA_CLOUD',
  'LIVORA_ENV',
  'LIVORA_PATTERN',
  'LIVORA_CLIENT',
  'LIVORA_REGION',
  'LIVORA_CROSS_ACCOUNT',
  'LIVORA_STATE_BUCKET',
  'LIVORA_ACCOUNT',
]);

/**
 * Reads the configuration from environment variables. Unknown `LIVORA_*` variables and
 * invalid values stop start-up with a message naming each variable.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const settings = listSettings();
  const known = new Set(settings.map((s) => s.env));
  const problems: string[] = [];
  for (const name of Object.keys(env)) {
    if (name.startsWith('LIVORA_') && !known.has(name) && !DEPLOYMENT_SETTINGS.has(name)) {
      problems.push(`${name} is not a Livora setting${suggestion(name, known)}`);
    }
  }

  const config: Record<string, unknown> = {};
  for (const setting of settings) {
    const raw = env[setting.env];
    const value = raw === undefined || raw === '' ? setting.schema.default : coerce(raw, setting.schema.type);
    if (value === undefined) continue;
    let target = config;
    for (const key of setting.path.slice(0, -1)) {
      target[key] ??= {};
      target = target[key] as Record<string, unknown>;
    }
    target[setting.path.at(-1) as string] = value;
  }
  ensureSections(ConfigSchema, config);

  const byPath = new Map(settings.map((s) => [`/${s.path.join('/')}`, s]));
  for (const error of compiled.Errors(config)) {
    const setting = byPath.get(error.instancePath);
    if (!setting) continue;
    const allowed = setting.schema.enum ? ` (one of: ${setting.schema.enum.join(', ')})` : '';
    const raw = env[setting.env] ?? '';
    const shown = setting.schema.secret ? `(secret, ${raw.length} characters)` : JSON.stringify(raw);
    problems.push(`${setting.env}=${shown}: ${error.message}${allowed}`);
  }
  if (problems.length === 0) problems.push(...missingForChoices(config as Config));
  if (problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return config as Config;
}

/** Every section of the schema as an object, even one none of whose settings is set. */
function ensureSections(node: unknown, target: Record<string, unknown>): void {
  for (const [key, child] of Object.entries((node as { properties?: Record<string, unknown> }).properties ?? {})) {
    if (!(child as { properties?: unknown }).properties) continue;
    target[key] ??= {};
    ensureSections(child, target[key] as Record<string, unknown>);
  }
}

/** Settings that become required by another one's value (a cloud stream or lake needs its address). */
function missingForChoices(config: Config): string[] {
  const problems: string[] = [];
  const { stream, lake, warehouse } = config;
  if (stream.kind === 'gcp' && !stream.gcpProject && !stream.pubsubEmulatorHost) {
    problems.push('LIVORA_STREAM=gcp needs GOOGLE_CLOUD_PROJECT (the Pub/Sub topic’s project)');
  }
  if (stream.kind === 'azure' && !stream.eventHubsConnectionString) {
    problems.push('LIVORA_STREAM=azure needs LIVORA_EVENT_HUBS_CONNECTION_STRING (the Event Hubs namespace’s)');
  }
  if (lake.store !== 'local' && !lake.bucket) {
    problems.push(`LIVORA_LAKE_STORE=${lake.store} needs LIVORA_LAKE_BUCKET (the bucket or container)`);
  }
  if (lake.store === 'azure' && !lake.azureConnectionString) {
    problems.push('LIVORA_LAKE_STORE=azure needs AZURE_STORAGE_CONNECTION_STRING (the storage account’s)');
  }
  if (warehouse.engine === 'synapse') {
    if (lake.store !== 'azure')
      problems.push('LIVORA_WAREHOUSE=synapse needs LIVORA_LAKE_STORE=azure (COPY INTO reads it)');
    for (const [setting, value] of [
      ['LIVORA_SYNAPSE_SERVER', warehouse.synapse.server],
      ['LIVORA_SYNAPSE_DATABASE', warehouse.synapse.database],
      ['LIVORA_SYNAPSE_LAKE_ACCOUNT', warehouse.synapse.storageAccount],
    ] as const)
      if (!value) problems.push(`LIVORA_WAREHOUSE=synapse needs ${setting}`);
  }
  if (warehouse.engine === 'bigquery') {
    if (lake.store !== 'gcp')
      problems.push('LIVORA_WAREHOUSE=bigquery needs LIVORA_LAKE_STORE=gcp (LOAD DATA reads GCS)');
    if (!warehouse.bigquery.project) problems.push('LIVORA_WAREHOUSE=bigquery needs LIVORA_BIGQUERY_PROJECT');
  }
  if (warehouse.engine === 'redshift') {
    if (lake.store !== 'aws') problems.push('LIVORA_WAREHOUSE=redshift needs LIVORA_LAKE_STORE=aws (COPY reads S3)');
    if (!warehouse.redshift.region) problems.push('LIVORA_WAREHOUSE=redshift needs LIVORA_REDSHIFT_REGION');
    if (!warehouse.redshift.workgroup === !warehouse.redshift.cluster)
      problems.push('LIVORA_WAREHOUSE=redshift needs one of LIVORA_REDSHIFT_WORKGROUP and LIVORA_REDSHIFT_CLUSTER');
  }
  return problems;
}

function coerce(raw: string, type: string | undefined): unknown {
  if (type === 'integer' || type === 'number') {
    const n = Number(raw.trim().replaceAll('_', ''));
    return Number.isFinite(n) && raw.trim() !== '' ? n : raw;
  }
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

function suggestion(name: string, known: ReadonlySet<string>): string {
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of known) {
    const d = distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best ? ` (did you mean ${best}?)` : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min(current + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}
