SELECT 'active' AS metric, CAST(NULL AS VARCHAR) AS currency, CAST(COUNT(DISTINCT e.person_id) AS VARCHAR) AS value
    FROM events AS e WHERE e.tenant_id = $1 AND "e"."timestamp" >= CAST($2 AS TIMESTAMPTZ) AND "e"."timestamp" < CAST($3 AS TIMESTAMPTZ)
    UNION ALL
    SELECT 'buyers', NULL, CAST(COUNT(DISTINCT CASE WHEN "e"."type" = 'track' AND "e"."event" = $4 THEN e.person_id END) AS VARCHAR)
    FROM events AS e WHERE e.tenant_id = $5 AND "e"."timestamp" >= CAST($6 AS TIMESTAMPTZ) AND "e"."timestamp" < CAST($7 AS TIMESTAMPTZ)
    UNION ALL
    SELECT 'orders', NULL, CAST(SUM(CASE WHEN "e"."type" = 'track' AND "e"."event" = $8 THEN 1 ELSE 0 END) AS VARCHAR)
    FROM events AS e WHERE e.tenant_id = $9 AND "e"."timestamp" >= CAST($10 AS TIMESTAMPTZ) AND "e"."timestamp" < CAST($11 AS TIMESTAMPTZ)
    UNION ALL
    SELECT 'daily_active_sum', NULL, CAST(SUM(d.people) AS VARCHAR)
    FROM (SELECT e.day, COUNT(DISTINCT e.person_id) AS people FROM events AS e WHERE e.tenant_id = $12 AND "e"."timestamp" >= CAST($13 AS TIMESTAMPTZ) AND "e"."timestamp" < CAST($14 AS TIMESTAMPTZ) GROUP BY e.day) AS d
    UNION ALL
    SELECT 'wau', NULL, CAST(COUNT(DISTINCT e.person_id) AS VARCHAR) FROM events AS e WHERE e.tenant_id = $15 AND "e"."timestamp" >= (CAST($16 AS TIMESTAMPTZ) + INTERVAL '-604800 seconds') AND "e"."timestamp" < CAST($17 AS TIMESTAMPTZ)
    UNION ALL
    SELECT 'mau', NULL, CAST(COUNT(DISTINCT e.person_id) AS VARCHAR) FROM events AS e WHERE e.tenant_id = $18 AND "e"."timestamp" >= (CAST($19 AS TIMESTAMPTZ) + INTERVAL '-2592000 seconds') AND "e"."timestamp" < CAST($20 AS TIMESTAMPTZ)
    UNION ALL
    SELECT 'revenue', e.currency, CAST(SUM(e.revenue) AS VARCHAR)
    FROM events AS e WHERE e.tenant_id = $21 AND "e"."timestamp" >= CAST($22 AS TIMESTAMPTZ) AND "e"."timestamp" < CAST($23 AS TIMESTAMPTZ) AND "e"."type" = 'track' AND "e"."event" = $24 AND e.revenue IS NOT NULL AND e.currency IS NOT NULL
    GROUP BY e.currency
-- parameters: ["acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","Order Completed","acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","Order Completed","acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","acme","2026-11-08T00:00:00.000Z","2026-11-08T00:00:00.000Z","acme","2026-11-08T00:00:00.000Z","2026-11-08T00:00:00.000Z","acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","Order Completed"]
