WITH firsts AS (
      SELECT e.person_id, MIN("e"."timestamp") AS first_at
      FROM events AS e
      WHERE e.tenant_id = $1
      GROUP BY e.person_id),
    people AS (
          SELECT f.person_id, CAST(date_trunc('month', CAST("f"."first_at" AS TIMESTAMP)) AS TIMESTAMPTZ) AS grp
          FROM firsts AS f WHERE f.first_at >= CAST($2 AS TIMESTAMPTZ) AND f.first_at < CAST($3 AS TIMESTAMPTZ)),
    spend AS (
      SELECT e.person_id, e.currency, COUNT(*) AS orders, SUM(e.revenue) AS revenue
      FROM events AS e
      WHERE e.tenant_id = $4 AND "e"."type" = 'track' AND "e"."event" = $5
        AND e.revenue IS NOT NULL AND e.currency IS NOT NULL
      GROUP BY e.person_id, e.currency)
    SELECT p.grp, CAST(NULL AS VARCHAR) AS currency, COUNT(*) AS persons, CAST(NULL AS BIGINT) AS orders,
           CAST(NULL AS VARCHAR) AS revenue
    FROM people AS p GROUP BY p.grp
    UNION ALL
    SELECT p.grp, s.currency, COUNT(*) AS persons, SUM(s.orders) AS orders, CAST(SUM(s.revenue) AS VARCHAR) AS revenue
    FROM people AS p JOIN spend AS s ON s.person_id = p.person_id
    GROUP BY p.grp, s.currency
-- parameters: ["acme","2026-01-01T00:00:00.000Z","2026-11-01T00:00:00.000Z","acme","Order Completed"]
