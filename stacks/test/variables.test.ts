import { CLOUDS, ENVIRONMENTS, PATTERNS } from '@livora/providers';
import { describe, expect, it } from 'vitest';
import { synthesize } from '../src/synthesize.ts';

describe('every stack of every combination', () => {
  it('declares each variable it uses (Terraform refuses an undeclared one)', () => {
    for (const cloud of CLOUDS)
      for (const env of ENVIRONMENTS)
        for (const pattern of PATTERNS)
          for (const stack of synthesize({ client: 'acme', cloud, env, pattern, region: 'eu-west-1' })) {
            const used = new Set([...JSON.stringify(stack.json).matchAll(/var\.([A-Za-z0-9_-]+)/g)].map((m) => m[1]));
            const declared = Object.keys(stack.json.variable ?? {});
            for (const name of used)
              expect(declared, `${cloud} ${env} ${pattern} ${stack.name}: var.${name}`).toContain(name);
          }
  });
});
