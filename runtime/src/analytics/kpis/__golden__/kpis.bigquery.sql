SELECT 'active' AS metric, CAST(NULL AS STRING) AS currency, CAST(COUNT(DISTINCT e.person_id) AS STRING) AS value
    FROM events AS e WHERE e.tenant_id = ? AND `e`.`timestamp` >= TIMESTAMP(?) AND `e`.`timestamp` < TIMESTAMP(?)
    UNION ALL
    SELECT 'buyers', NULL, CAST(COUNT(DISTINCT CASE WHEN `e`.`type` = 'track' AND `e`.`event` = ? THEN e.person_id END) AS STRING)
    FROM events AS e WHERE e.tenant_id = ? AND `e`.`timestamp` >= TIMESTAMP(?) AND `e`.`timestamp` < TIMESTAMP(?)
    UNION ALL
    SELECT 'orders', NULL, CAST(SUM(CASE WHEN `e`.`type` = 'track' AND `e`.`event` = ? THEN 1 ELSE 0 END) AS STRING)
    FROM events AS e WHERE e.tenant_id = ? AND `e`.`timestamp` >= TIMESTAMP(?) AND `e`.`timestamp` < TIMESTAMP(?)
    UNION ALL
    SELECT 'daily_active_sum', NULL, CAST(SUM(d.people) AS STRING)
    FROM (SELECT e.day, COUNT(DISTINCT e.person_id) AS people FROM events AS e WHERE e.tenant_id = ? AND `e`.`timestamp` >= TIMESTAMP(?) AND `e`.`timestamp` < TIMESTAMP(?) GROUP BY e.day) AS d
    UNION ALL
    SELECT 'wau', NULL, CAST(COUNT(DISTINCT e.person_id) AS STRING) FROM events AS e WHERE e.tenant_id = ? AND `e`.`timestamp` >= TIMESTAMP_ADD(TIMESTAMP(?), INTERVAL -604800 SECOND) AND `e`.`timestamp` < TIMESTAMP(?)
    UNION ALL
    SELECT 'mau', NULL, CAST(COUNT(DISTINCT e.person_id) AS STRING) FROM events AS e WHERE e.tenant_id = ? AND `e`.`timestamp` >= TIMESTAMP_ADD(TIMESTAMP(?), INTERVAL -2592000 SECOND) AND `e`.`timestamp` < TIMESTAMP(?)
    UNION ALL
    SELECT 'revenue', e.currency, CAST(SUM(e.revenue) AS STRING)
    FROM events AS e WHERE e.tenant_id = ? AND `e`.`timestamp` >= TIMESTAMP(?) AND `e`.`timestamp` < TIMESTAMP(?) AND `e`.`type` = 'track' AND `e`.`event` = ? AND e.revenue IS NOT NULL AND e.currency IS NOT NULL
    GROUP BY e.currency
-- parameters: ["acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","Order Completed","acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","Order Completed","acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","acme","2026-11-08T00:00:00.000Z","2026-11-08T00:00:00.000Z","acme","2026-11-08T00:00:00.000Z","2026-11-08T00:00:00.000Z","acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","Order Completed"]
