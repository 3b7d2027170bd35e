WITH sliced AS (SELECT s.* FROM (
    SELECT e.person_id, e.event_id, "e"."timestamp" AS ts, json_extract_string("p"."traits", '$."plan"') AS breakdown, CASE WHEN ("e"."type" = 'track' AND "e"."event" = $1) THEN 1 ELSE 0 END AS "s1", CASE WHEN ("e"."type" = 'track' AND "e"."event" = $2) AND (json_extract_string("e"."properties", '$."category"') IN ($3, $4)) THEN 1 ELSE 0 END AS "s2", CASE WHEN ("e"."type" = 'track' AND "e"."event" = $5) THEN 1 ELSE 0 END AS "s3"
    FROM events AS e LEFT JOIN persons AS p ON p.tenant_id = "e"."tenant_id" AND p.person_id = "e"."person_id"
    WHERE e.tenant_id = $6 AND "e"."timestamp" >= CAST($7 AS TIMESTAMPTZ) AND "e"."timestamp" <= (CAST($8 AS TIMESTAMPTZ) + INTERVAL '604800 seconds')
      AND "e"."person_id" IN (
        SELECT c.person_id FROM persons AS c
        WHERE c.tenant_id = $9 AND c.first_seen >= CAST($10 AS TIMESTAMPTZ)
          AND c.first_seen < CAST($11 AS TIMESTAMPTZ))) AS s WHERE "s"."s1" = 1 OR "s"."s2" = 1 OR "s"."s3" = 1),
    attempts AS (
    SELECT r.person_id, r.breakdown, r.start_id, r.t1, CASE WHEN r.reached >= 2 THEN "r"."t2" END AS "t2", CASE WHEN r.reached >= 3 THEN "r"."t3" END AS "t3", r.reached
    FROM (
      SELECT a.*, CASE WHEN "a"."t2" IS NULL OR "a"."t2" > ("a"."t1" + INTERVAL '604800 seconds') THEN 1 WHEN "a"."t3" IS NULL OR "a"."t3" > ("a"."t1" + INTERVAL '604800 seconds') THEN 2 ELSE 3 END AS reached
      FROM (
        SELECT c.person_id, c.breakdown, c.event_id AS start_id, c.ts AS t1, "c"."c2" AS "t2", "c"."c3" AS "t3"
        FROM (SELECT * FROM (SELECT x.person_id, x.event_id, x.ts, x.breakdown, "x"."s1", "x"."s2", "x"."s3", MIN(CASE WHEN "x"."s2" = 1 THEN "x"."ts" END) OVER (PARTITION BY x.person_id ORDER BY x.ts, x.event_id ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS "c2", MIN(CASE WHEN "x"."s2" = 1 THEN "x"."c3" END) OVER (PARTITION BY x.person_id ORDER BY x.ts, x.event_id ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS "c3" FROM (SELECT x.person_id, x.event_id, x.ts, x.breakdown, "x"."s1", "x"."s2", "x"."s3", "x"."c3" FROM (SELECT x.person_id, x.event_id, x.ts, x.breakdown, "x"."s1", "x"."s2", "x"."s3", MIN(CASE WHEN "x"."s3" = 1 THEN "x"."ts" END) OVER (PARTITION BY x.person_id ORDER BY x.ts, x.event_id ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS "c3" FROM (SELECT x.person_id, x.event_id, x.ts, x.breakdown, "x"."s1", "x"."s2", "x"."s3" FROM sliced AS x WHERE "x"."s2" = 1 OR "x"."s3" = 1) AS x) AS x WHERE "x"."s2" = 1
          UNION ALL
          SELECT x.person_id, x.event_id, x.ts, x.breakdown, "x"."s1", "x"."s2", "x"."s3", CASE WHEN 1 = 0 THEN x.ts END AS "c3"
          FROM sliced AS x WHERE "x"."s1" = 1 AND "x"."s2" = 0) AS x) AS c WHERE c.s1 = 1) AS c
        WHERE c.ts >= CAST($12 AS TIMESTAMPTZ) AND c.ts < CAST($13 AS TIMESTAMPTZ)) AS a) AS r),
    ranked_attempts AS (
      SELECT a.*, ROW_NUMBER() OVER (PARTITION BY a.person_id, CAST(date_trunc('day', CAST("a"."t1" AS TIMESTAMP)) AS TIMESTAMPTZ) ORDER BY a.reached DESC, a.t1, a.start_id) AS pick
      FROM attempts AS a)
    SELECT CAST(date_trunc('day', CAST("a"."t1" AS TIMESTAMP)) AS TIMESTAMPTZ) AS entered_on, a.person_id, a.breakdown, a.reached, "a"."t1", "a"."t2", "a"."t3"
    FROM ranked_attempts AS a WHERE a.pick = 1
-- parameters: ["Product Viewed","Product Added","shoes","bags","Order Completed","acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","acme","2026-10-01T00:00:00.000Z","2026-11-01T00:00:00.000Z","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z"]
