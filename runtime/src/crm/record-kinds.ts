import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.ts';
import { prepareDeal } from './deals/deal-stages.ts';

/** A kind of CRM record: its table and the columns clients write, sort by and must keep unique. */
export interface RecordKind {
  readonly entity: 'contact' | 'company' | 'deal' | 'activity';
  readonly table: 'contacts' | 'companies' | 'deals' | 'activities';
  /** Columns a client writes, besides `owner_id` and `tags`. */
  readonly fields: readonly string[];
  readonly sorts: readonly string[];
  /** Unique per tenant (where set): a second record with the same value is refused. */
  readonly unique: readonly string[];
  /** Kept lower case (emails and domains compare so). */
  readonly lowercase: readonly string[];
  /** Whoever a record is assigned to may change it too (tasks). */
  readonly assigned?: boolean;
  /** Sales see only their own and their team's records of this kind (and may change those). */
  readonly teamVisible?: boolean;
  /** Checks and completes a record's new values (`current`: null on create) beyond references. */
  readonly prepare?: (
    tx: Kysely<Tables>,
    tenantId: string,
    values: Record<string, unknown>,
    current: Record<string, unknown> | null,
  ) => Promise<void>;
}

export const CONTACTS: RecordKind = {
  entity: 'contact',
  table: 'contacts',
  fields: ['email', 'phone', 'first_name', 'last_name', 'company_id', 'person_id'],
  sorts: ['created_at', 'updated_at', 'email', 'last_name'],
  unique: ['email'],
  lowercase: ['email'],
};

export const COMPANIES: RecordKind = {
  entity: 'company',
  table: 'companies',
  fields: ['name', 'domain', 'industry'],
  sorts: ['created_at', 'updated_at', 'name'],
  unique: ['domain'],
  lowercase: ['domain'],
};

export const DEALS: RecordKind = {
  entity: 'deal',
  table: 'deals',
  fields: ['name', 'amount', 'currency', 'close_date', 'pipeline_id', 'stage_id', 'company_id', 'contact_id'],
  sorts: ['created_at', 'updated_at', 'name', 'position'],
  unique: [],
  lowercase: [],
  teamVisible: true,
  prepare: prepareDeal,
};

export const ACTIVITIES: RecordKind = {
  entity: 'activity',
  table: 'activities',
  fields: ['kind', 'subject', 'body', 'due_at', 'occurred_at', 'assignee_id', 'contact_id', 'company_id', 'deal_id'],
  sorts: ['created_at', 'updated_at'],
  unique: [],
  lowercase: [],
  assigned: true,
};
