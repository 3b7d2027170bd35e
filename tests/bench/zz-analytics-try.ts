import { openDuckDbWarehouse } from '@livora/adapters/local';
import { sql } from 'kysely';
import { funnelQuery } from '../../runtime/src/analytics/funnel/funnel-query.ts';
import { retentionQuery } from '../../runtime/src/analytics/retention/retention-query.ts';
const w = openDuckDbWarehouse({ path: '/tmp/ab/try.duckdb', memoryLimit: '1.5GB' });
const t0 = performance.now();
const { rows: [{ n }] } = await sql<{ n: bigint }>`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'events'`.execute(w.db);
if (Number(n) === 0) {
await sql`CREATE TABLE events (tenant_id VARCHAR, event_id VARCHAR, person_id VARCHAR, type VARCHAR, event VARCHAR, "timestamp" TIMESTAMPTZ, properties VARCHAR, channel VARCHAR, session_channel VARCHAR, utm_source VARCHAR, geo_country VARCHAR, page_path VARCHAR, revenue DECIMAL(20,4), currency VARCHAR)`.execute(w.db);
await sql`INSERT INTO events
  SELECT 'bench', 'e' || i, 'p' || (hash(i // 100) % 100000), 
    CASE WHEN r < 0.5 THEN 'page' ELSE 'track' END,
    CASE WHEN r < 0.5 THEN NULL WHEN r < 0.75 THEN 'Product Viewed' WHEN r < 0.87 THEN 'Product Added' WHEN r < 0.94 THEN 'Checkout Started' WHEN r < 0.97 THEN 'Order Completed' ELSE 'Signed Up' END,
    TIMESTAMPTZ '2026-08-01 00:00:00+00' + to_seconds(CAST(hash(i * 7) % (90 * 86400) AS BIGINT)),
    '{"product_id":"sku-' || (i % 500) || '","plan":"' || CASE WHEN i % 3 = 0 THEN 'pro' ELSE 'free' END || '"}',
    'direct', 'direct', CASE WHEN i % 5 = 0 THEN 'google' ELSE NULL END, 'FR', '/p/' || (i % 500),
    CASE WHEN r >= 0.94 AND r < 0.97 THEN CAST((i % 10000) / 100.0 AS DECIMAL(20,4)) END, CASE WHEN r >= 0.94 AND r < 0.97 THEN 'EUR' END
  FROM (SELECT i, random() AS r FROM range(10000000) t(i))`.execute(w.db);
console.log('generated in', ((performance.now() - t0) / 1000).toFixed(1), 's');
}
const spec = { tenantId: 'bench', steps: [{ event: 'Product Viewed' }, { event: 'Product Added' }, { event: 'Checkout Started' }, { event: 'Order Completed' }], from: new Date('2026-08-01T00:00:00Z'), to: new Date('2026-10-30T00:00:00Z'), windowSeconds: 7 * 86400, order: 'ordered' as const };
for (let i = 0; i < 3; i++) { const s = performance.now(); const r = await funnelQuery(w.sql, spec).execute(w.db); console.log('funnel', (performance.now() - s).toFixed(0), 'ms', r.rows.map(x => Number(x.persons))); }
const rs = { tenantId: 'bench', start: { event: '$any' }, return: { event: '$any' }, unit: 'week' as const, from: new Date('2026-08-01T00:00:00Z'), to: new Date('2026-10-30T00:00:00Z'), periods: 12 };
for (let i = 0; i < 2; i++) { const s = performance.now(); const r = await retentionQuery(w.sql, rs).execute(w.db); console.log('retention', (performance.now() - s).toFixed(0), 'ms', r.rows.length); }
console.log('rss', (process.memoryUsage().rss / 1e6).toFixed(0), 'MB');
await w.close();
