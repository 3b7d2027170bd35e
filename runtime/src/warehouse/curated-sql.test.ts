import { compileFor } from '@livora/adapters/ports';
import { describe, expect, it } from 'vitest';
import { WAREHOUSE_SPELLINGS } from '../../test/analytics/support/warehouse-spellings.ts';
import { curatedTables } from './curated-schema.ts';
import { deriveDayStatements } from './derive-day.ts';

/** Statements as the engine receives them, one after another, each with its parameters. */
function golden(warehouse: (typeof WAREHOUSE_SPELLINGS)[number], statements: ReturnType<typeof curatedTables>) {
  return statements
    .map((statement) => {
      const compiled = compileFor(warehouse, statement);
      const parameters =
        compiled.parameters.length > 0 ? `\n-- parameters: ${JSON.stringify(compiled.parameters)}` : '';
      return `${compiled.sql.trim()};${parameters}\n`;
    })
    .join('\n');
}

describe('the curated tables and what a load derives, as each warehouse receives them', () => {
  for (const warehouse of WAREHOUSE_SPELLINGS) {
    it(`${warehouse.engine}: the tables`, async () => {
      await expect(golden(warehouse, curatedTables(warehouse))).toMatchFileSnapshot(
        `__golden__/curated-tables.${warehouse.engine}.sql`,
      );
    });
    it(`${warehouse.engine}: order items and product days`, async () => {
      await expect(golden(warehouse, deriveDayStatements(warehouse, 'acme', '2026-11-02'))).toMatchFileSnapshot(
        `__golden__/derive-day.${warehouse.engine}.sql`,
      );
    });
  }
});
