import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(process.argv[3] ?? '/tmp/ab/try.duckdb', { threads: '2', memory_limit: '1.5GB' });
const c = await db.connect();
const text = readFileSync(process.argv[2] as string, 'utf8').split(/;\s*\n/).map((s) => s.replace(/^\s*--.*$/gm, '').trim()).filter((s) => s && !s.startsWith('.'));
for (let round = 0; round < 2; round++) for (const q of text) {
  const s = performance.now();
  const r = await c.runAndReadAll(q);
  console.log(`${(performance.now() - s).toFixed(0)} ms`, JSON.stringify(r.getRowObjectsJson()).slice(0, 200));
}
