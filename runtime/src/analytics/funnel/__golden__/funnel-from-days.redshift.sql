WITH picked AS (
      SELECT d.*, ROW_NUMBER() OVER (PARTITION BY d.person_id ORDER BY d.reached DESC, d.t1) AS pick
      FROM "funnel_days" AS d
      WHERE d.funnel_key = $1 AND d.tenant_id = $2
        AND d.entered_on >= CAST($3 AS TIMESTAMPTZ) AND d.entered_on < CAST($4 AS TIMESTAMPTZ) AND "d"."person_id" IN (
        SELECT c.person_id FROM persons AS c
        WHERE c.tenant_id = $5 AND c.first_seen >= CAST($6 AS TIMESTAMPTZ)
          AND c.first_seen < CAST($7 AS TIMESTAMPTZ))),
    best AS (
      SELECT JSON_EXTRACT_PATH_TEXT("p"."traits", 'plan', true) AS breakdown,
             b.reached, "b"."t1", "b"."t2", "b"."t3"
      FROM picked AS b LEFT JOIN persons AS p ON p.tenant_id = "b"."tenant_id" AND p.person_id = "b"."person_id"
      WHERE b.pick = 1),
    reached AS (SELECT b.breakdown, 1 AS step, CAST(NULL AS DOUBLE PRECISION) AS seconds FROM best AS b WHERE b.reached >= 1 UNION ALL SELECT b.breakdown, 2 AS step, EXTRACT(EPOCH FROM ("b"."t2" - "b"."t1")) AS seconds FROM best AS b WHERE b.reached >= 2 UNION ALL SELECT b.breakdown, 3 AS step, EXTRACT(EPOCH FROM ("b"."t3" - "b"."t2")) AS seconds FROM best AS b WHERE b.reached >= 3),
    ranked AS (
      SELECT r.breakdown, r.step, r.seconds,
             ROW_NUMBER() OVER (PARTITION BY r.breakdown, r.step ORDER BY r.seconds) AS rn,
             COUNT(*) OVER (PARTITION BY r.breakdown, r.step) AS n
      FROM reached AS r)
    SELECT breakdown, step, COUNT(*) AS persons,
           AVG(CASE WHEN 2 * rn BETWEEN n AND n + 2 THEN seconds END) AS median_seconds
    FROM ranked
    GROUP BY breakdown, step
    ORDER BY breakdown, step
-- parameters: ["McSdlYBLYs5XHbH-51bV9RIh","acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","acme","2026-10-01T00:00:00.000Z","2026-11-01T00:00:00.000Z"]
