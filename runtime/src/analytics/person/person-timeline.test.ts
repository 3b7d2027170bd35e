import { compileFor } from '@livora/adapters/ports';
import { describe, expect, it } from 'vitest';
import { WAREHOUSE_SPELLINGS } from '../../../test/analytics/support/warehouse-spellings.ts';
import { personEventsQuery } from './person-timeline.ts';

describe('a person’s latest events and orders, as each warehouse receives them', () => {
  for (const warehouse of WAREHOUSE_SPELLINGS)
    for (const orders of [false, true])
      it(`${warehouse.engine}, ${orders ? 'orders' : 'events'}`, async () => {
        const query = personEventsQuery(warehouse, 'acme', '0190a000-0000-7000-8000-000000000001', 20, orders);
        const compiled = compileFor(warehouse, query);
        await expect(
          `${compiled.sql.trim()}\n-- parameters: ${JSON.stringify(compiled.parameters)}\n`,
        ).toMatchFileSnapshot(`__golden__/person-${orders ? 'orders' : 'events'}.${warehouse.engine}.sql`);
      });
});
