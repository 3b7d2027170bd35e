import type { Transaction } from 'kysely';
import type { Tables } from '../db/tables.ts';

export type Tx = Transaction<Tables>;

/** Advisory lock namespaces: distinct ids are always locked before persons (no cycles). */
export const LOCK_DISTINCT_IDS = 1;
export const LOCK_PERSONS = 2;
