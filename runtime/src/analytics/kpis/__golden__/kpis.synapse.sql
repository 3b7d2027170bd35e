SELECT 'active' AS metric, CAST(NULL AS NVARCHAR(4000)) AS currency, CAST(COUNT(DISTINCT e.person_id) AS NVARCHAR(4000)) AS value
    FROM events AS e WHERE e.tenant_id = @1 AND "e"."timestamp" >= CONVERT(datetime2, @2, 127) AND "e"."timestamp" < CONVERT(datetime2, @3, 127)
    UNION ALL
    SELECT 'buyers', NULL, CAST(COUNT(DISTINCT CASE WHEN "e"."type" = 'track' AND "e"."event" = @4 THEN e.person_id END) AS NVARCHAR(4000))
    FROM events AS e WHERE e.tenant_id = @5 AND "e"."timestamp" >= CONVERT(datetime2, @6, 127) AND "e"."timestamp" < CONVERT(datetime2, @7, 127)
    UNION ALL
    SELECT 'orders', NULL, CAST(SUM(CASE WHEN "e"."type" = 'track' AND "e"."event" = @8 THEN 1 ELSE 0 END) AS NVARCHAR(4000))
    FROM events AS e WHERE e.tenant_id = @9 AND "e"."timestamp" >= CONVERT(datetime2, @10, 127) AND "e"."timestamp" < CONVERT(datetime2, @11, 127)
    UNION ALL
    SELECT 'daily_active_sum', NULL, CAST(SUM(d.people) AS NVARCHAR(4000))
    FROM (SELECT e.day, COUNT(DISTINCT e.person_id) AS people FROM events AS e WHERE e.tenant_id = @12 AND "e"."timestamp" >= CONVERT(datetime2, @13, 127) AND "e"."timestamp" < CONVERT(datetime2, @14, 127) GROUP BY e.day) AS d
    UNION ALL
    SELECT 'wau', NULL, CAST(COUNT(DISTINCT e.person_id) AS NVARCHAR(4000)) FROM events AS e WHERE e.tenant_id = @15 AND "e"."timestamp" >= DATEADD(second, -604800, CONVERT(datetime2, @16, 127)) AND "e"."timestamp" < CONVERT(datetime2, @17, 127)
    UNION ALL
    SELECT 'mau', NULL, CAST(COUNT(DISTINCT e.person_id) AS NVARCHAR(4000)) FROM events AS e WHERE e.tenant_id = @18 AND "e"."timestamp" >= DATEADD(second, -2592000, CONVERT(datetime2, @19, 127)) AND "e"."timestamp" < CONVERT(datetime2, @20, 127)
    UNION ALL
    SELECT 'revenue', e.currency, CAST(SUM(e.revenue) AS NVARCHAR(4000))
    FROM events AS e WHERE e.tenant_id = @21 AND "e"."timestamp" >= CONVERT(datetime2, @22, 127) AND "e"."timestamp" < CONVERT(datetime2, @23, 127) AND "e"."type" = 'track' AND "e"."event" = @24 AND e.revenue IS NOT NULL AND e.currency IS NOT NULL
    GROUP BY e.currency
-- parameters: ["acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","Order Completed","acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","Order Completed","acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","acme","2026-11-08T00:00:00.000Z","2026-11-08T00:00:00.000Z","acme","2026-11-08T00:00:00.000Z","2026-11-08T00:00:00.000Z","acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","Order Completed"]
