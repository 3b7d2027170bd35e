WITH days AS (
      SELECT e.person_id, e.day, MIN("e"."timestamp") AS day_at,
             MIN(CASE WHEN ("e"."type" = 'track' AND "e"."event" = $1) THEN "e"."timestamp" END) AS first_start,
             MAX(CASE WHEN ("e"."type" = 'track' AND "e"."event" = $2) AND (JSON_EXTRACT_PATH_TEXT("e"."properties", 'currency', true) = $3) THEN 1 ELSE 0 END) AS returned
      FROM events AS e
      WHERE e.tenant_id = $4 AND ((("e"."type" = 'track' AND "e"."event" = $5)) OR (("e"."type" = 'track' AND "e"."event" = $6) AND (JSON_EXTRACT_PATH_TEXT("e"."properties", 'currency', true) = $7)))
      GROUP BY e.person_id, e.day),
    periods AS (
      SELECT d.person_id, (DATE_TRUNC('day', "d"."day_at" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS active, MIN(d.first_start) AS first_start, MAX(d.returned) AS returned
      FROM days AS d
      GROUP BY d.person_id, (DATE_TRUNC('day', "d"."day_at" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')),
    firsts AS (
      SELECT p.person_id, MIN(p.first_start) AS first_at FROM periods AS p
      WHERE p.first_start IS NOT NULL GROUP BY p.person_id),
    cohorts AS (
      SELECT f.person_id, f.first_at, (DATE_TRUNC('day', "f"."first_at" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS cohort
      FROM firsts AS f
      WHERE f.first_at >= CAST($8 AS TIMESTAMPTZ) AND f.first_at < CAST($9 AS TIMESTAMPTZ)),
    activity AS (SELECT p.person_id, p.active FROM periods AS p WHERE p.returned = 1),
    returns AS (
      SELECT r.person_id, r.cohort, r.period
      FROM (
        SELECT c.person_id, c.cohort, (CAST(DATE_TRUNC('day', "a"."active" AT TIME ZONE 'UTC') AS DATE) - CAST(DATE_TRUNC('day', "c"."first_at" AT TIME ZONE 'UTC') AS DATE)) AS period
        FROM cohorts AS c
        JOIN activity AS a ON a.person_id = c.person_id) AS r
      WHERE r.period >= 1 AND r.period < 12)
    SELECT c.cohort, 0 AS period, COUNT(*) AS persons FROM cohorts AS c GROUP BY c.cohort
    UNION ALL
    SELECT r.cohort, r.period, COUNT(*) AS persons FROM returns AS r GROUP BY r.cohort, r.period
    ORDER BY cohort, period
-- parameters: ["Signed Up","Order Completed","EUR","acme","Signed Up","Order Completed","EUR","2026-09-01T00:00:00.000Z","2026-11-24T00:00:00.000Z"]
