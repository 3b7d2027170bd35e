/** The clouds Livora deploys into. */
export type Cloud = 'aws' | 'gcp' | 'azure';
export const CLOUDS: readonly Cloud[] = ['aws', 'gcp', 'azure'];

export type Environment = 'dev' | 'staging' | 'prod';
export const ENVIRONMENTS: readonly Environment[] = ['dev', 'staging', 'prod'];

/** A: everything. B: ingestion, stream, lake, warehouse, analytics and campaign APIs; no console, no CRM. */
export type Pattern = 'A' | 'B';
export const PATTERNS: readonly Pattern[] = ['A', 'B'];

/** One deployment: whose, where, which environment and pattern. */
export interface Deployment {
  /** The client's short name (lowercase letters, digits and hyphens): it prefixes every resource name. */
  readonly client: string;
  readonly cloud: Cloud;
  readonly env: Environment;
  readonly pattern: Pattern;
  /** The cloud region (`eu-west-1`, `europe-west1`, `westeurope`…). */
  readonly region: string;
  /**
   * GCP: the project to deploy into (default `livora-<client>-<env>`); Azure: the
   * subscription id (default: the credentials' own). AWS reads the account from its role.
   */
  readonly account?: string;
  /**
   * Deploying into the client's account: the AWS role to assume, the GCP service account
   * to impersonate, or the Azure subscription (with the service principal from the
   * environment). Unset: the deployer's own credentials and account.
   */
  readonly crossAccount?: string;
  /**
   * Where Terraform keeps each stack's state (an S3 bucket, a GCS bucket, an Azure storage
   * container): shared, locked and encrypted. Unset: local files beside the synthesized stacks.
   */
  readonly stateBucket?: string;
}

/**
 * What an environment asks of the platform. dev: one zone, small, cheap, easy to delete;
 * staging: prod's shape at lower sizes; prod: several zones, HA databases, backups,
 * deletion protection and longer retention.
 */
export interface Profile {
  readonly zones: number;
  /** Standby/replica for the databases and the cache, across zones. */
  readonly highAvailability: boolean;
  readonly deletionProtection: boolean;
  readonly backupRetentionDays: number;
  readonly logRetentionDays: number;
  /** Days a deleted key or secret can still be recovered. */
  readonly recoveryWindowDays: number;
  /** Per role: CPU (vCPU), memory (MiB), and how many containers at least and at most. */
  readonly services: { readonly cpu: number; readonly memory: number; readonly min: number; readonly max: number };
  readonly size: 'small' | 'medium' | 'large';
}

export const PROFILES: Readonly<Record<Environment, Profile>> = {
  dev: {
    zones: 1,
    highAvailability: false,
    deletionProtection: false,
    backupRetentionDays: 1,
    logRetentionDays: 14,
    recoveryWindowDays: 7,
    services: { cpu: 0.5, memory: 1024, min: 1, max: 2 },
    size: 'small',
  },
  staging: {
    zones: 2,
    highAvailability: true,
    deletionProtection: false,
    backupRetentionDays: 7,
    logRetentionDays: 30,
    recoveryWindowDays: 7,
    services: { cpu: 1, memory: 2048, min: 1, max: 4 },
    size: 'medium',
  },
  prod: {
    zones: 3,
    highAvailability: true,
    deletionProtection: true,
    backupRetentionDays: 35,
    logRetentionDays: 365,
    recoveryWindowDays: 30,
    services: { cpu: 2, memory: 4096, min: 2, max: 20 },
    size: 'large',
  },
};

/** A client name a deployment can carry: it becomes part of resource names in every cloud. */
export function assertClientName(client: string): void {
  if (!/^[a-z][a-z0-9-]{1,30}[a-z0-9]$/.test(client))
    throw new RangeError(
      `client name ${JSON.stringify(client)}: 3 to 32 lowercase letters, digits and hyphens, starting with a letter`,
    );
}
