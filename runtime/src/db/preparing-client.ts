import type pg from 'pg';
import { ArrayLiteralClient } from './array-literal-client.ts';
import { SQLSTATE } from './sqlstate.ts';

/** Statements that take more parameters (lists of values) are not worth a plan each. */
const MOST_PARAMETERS = 64;
/** Statements a connection prepares at most: PostgreSQL keeps each one's plan for the connection's life. */
const MOST_PER_CONNECTION = 200;
/** Statement texts a pool names at most: past them, new texts run unprepared. */
const MOST_NAMES = 10_000;

/**
 * A pg client class that prepares the statements it runs with parameters (as postgres.js
 * does), so PostgreSQL plans each once per connection instead of at every run: planning
 * was most of a contact by id's database time (0.4 ms of 0.43). Kysely sends every
 * statement as text and parameters, which the class names by its text: one name per text,
 * the same on each connection of a pool (one class per pool), never reused. Arrays go as
 * literals (ArrayLiteralClient).
 */
export function preparingClient(): typeof pg.Client {
  const names = new Map<string, string>();
  let named = 0;

  return class PreparingClient extends ArrayLiteralClient {
    readonly #prepared = new Set<string>();
    readonly #refused = new Set<string>();

    // biome-ignore lint/suspicious/noExplicitAny: pg's query() has a dozen overloads; this keeps all of them
    override query(config: any, values?: any, callback?: any): any {
      const name =
        typeof config === 'string' && Array.isArray(values) && callback === undefined
          ? this.#nameOf(config, values)
          : null;
      if (name === null) return super.query(config, values, callback);
      return super.query({ name, text: config, values }).catch((error: { code?: string }) => {
        if (error.code !== SQLSTATE.FEATURE_NOT_SUPPORTED) throw error;
        // A migration changed a table while this connection held a plan of it: never that name
        // again here. (In a transaction the retry fails too, the transaction being aborted: that
        // work fails once, as a statement racing the migration could.)
        this.#refused.add(name);
        return super.query(config, values);
      });
    }

    #nameOf(text: string, values: unknown[]): string | null {
      if (values.length === 0 || values.length > MOST_PARAMETERS) return null;
      // A generic plan takes an array parameter for a short one: a bulk change of 30,000
      // contacts planned so took 53 s instead of 3. Statements given arrays are planned at every run.
      if (values.some(Array.isArray)) return null;
      let name = names.get(text);
      if (name === undefined) {
        if (names.size >= MOST_NAMES) return null;
        name = `livora_${++named}`;
        names.set(text, name);
      }
      if (this.#refused.has(name)) return null;
      if (!this.#prepared.has(name)) {
        if (this.#prepared.size >= MOST_PER_CONNECTION) return null;
        this.#prepared.add(name);
      }
      return name;
    }
  };
}
