/** A kind of CRM record: its table and the columns clients write, sort by and must keep unique. */
export interface RecordKind {
  readonly entity: 'contact' | 'company';
  readonly table: 'contacts' | 'companies';
  /** Columns a client writes, besides `owner_id` and `tags`. */
  readonly fields: readonly string[];
  readonly sorts: readonly string[];
  /** Unique per tenant (where set): a second record with the same value is refused. */
  readonly unique: readonly string[];
  /** Kept lower case (emails and domains compare so). */
  readonly lowercase: readonly string[];
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
