WITH firsts AS (
      SELECT e.person_id, MIN("e"."timestamp") AS first_at
      FROM events AS e
      WHERE e.tenant_id = $1 AND ("e"."type" = 'track' AND "e"."event" = $2)
      GROUP BY e.person_id),
    cohorts AS (
      SELECT f.person_id, f.first_at, CAST(date_trunc('day', CAST("f"."first_at" AS TIMESTAMP)) AS TIMESTAMPTZ) AS cohort
      FROM firsts AS f
      WHERE f.first_at >= CAST($3 AS TIMESTAMPTZ) AND f.first_at < CAST($4 AS TIMESTAMPTZ)),
    activity AS (
      SELECT DISTINCT e.person_id, CAST(date_trunc('day', CAST("e"."timestamp" AS TIMESTAMP)) AS TIMESTAMPTZ) AS active
      FROM events AS e
      WHERE e.tenant_id = $5 AND ("e"."type" = 'track' AND "e"."event" = $6) AND (json_extract_string("e"."properties", '$."currency"') = $7)),
    returns AS (
      SELECT r.person_id, r.cohort, r.period
      FROM (
        SELECT c.person_id, c.cohort, date_diff('day', date_trunc('day', CAST("c"."first_at" AS TIMESTAMP)), date_trunc('day', CAST("a"."active" AS TIMESTAMP))) AS period
        FROM cohorts AS c
        JOIN activity AS a ON a.person_id = c.person_id) AS r
      WHERE r.period >= 1 AND r.period < 12)
    SELECT c.cohort, 0 AS period, COUNT(*) AS persons FROM cohorts AS c GROUP BY c.cohort
    UNION ALL
    SELECT r.cohort, r.period, COUNT(*) AS persons FROM returns AS r GROUP BY r.cohort, r.period
    ORDER BY cohort, period
-- parameters: ["acme","Signed Up","2026-09-01T00:00:00.000Z","2026-11-24T00:00:00.000Z","acme","Order Completed","EUR"]
