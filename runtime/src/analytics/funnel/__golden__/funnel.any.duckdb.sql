WITH sliced AS (SELECT s.* FROM (
    SELECT e.person_id, e.event_id, "e"."timestamp" AS ts, "e"."utm_source" AS breakdown, CASE WHEN "e"."type" = 'page' AND (strpos(lower("e"."page_path"), $1) > 0) THEN 1 ELSE 0 END AS "s1", CASE WHEN ("e"."type" = 'track' AND "e"."event" = $2) AND (json_extract_string("e"."properties", '$."category"') IN ($3, $4)) THEN 1 ELSE 0 END AS "s2", CASE WHEN ("e"."type" = 'track' AND "e"."event" = $5) AND (json_extract_string("e"."properties", '$."currency"') = $6) THEN 1 ELSE 0 END AS "s3"
    FROM events AS e 
    WHERE e.tenant_id = $7 AND "e"."timestamp" >= CAST($8 AS TIMESTAMPTZ) AND "e"."timestamp" <= (CAST($9 AS TIMESTAMPTZ) + INTERVAL '604800 seconds')
      ) AS s WHERE "s"."s1" = 1 OR "s"."s2" = 1 OR "s"."s3" = 1),
    numbered AS (SELECT x.*, ROW_NUMBER() OVER (PARTITION BY x.person_id ORDER BY x.ts, x.event_id) AS seq FROM sliced AS x),
    attempts AS (
    SELECT a.person_id, a.breakdown, a.seq AS start_id, a.ts AS t1, MAX("b"."s1") + MAX("b"."s2") + MAX("b"."s3") AS reached
    FROM numbered AS a
    JOIN numbered AS b
      ON b.person_id = a.person_id AND b.seq >= a.seq
         AND b.ts <= ("a"."ts" + INTERVAL '604800 seconds')
    WHERE a.ts >= CAST($10 AS TIMESTAMPTZ) AND a.ts < CAST($11 AS TIMESTAMPTZ)
    GROUP BY a.person_id, a.breakdown, a.seq, a.ts),
    ranked_attempts AS (
      SELECT a.*, ROW_NUMBER() OVER (PARTITION BY a.person_id ORDER BY a.reached DESC, a.t1, a.start_id) AS pick
      FROM attempts AS a),
    best AS (SELECT * FROM ranked_attempts WHERE pick = 1),
    reached AS (SELECT b.breakdown, 1 AS step, CAST(NULL AS DOUBLE) AS seconds FROM best AS b WHERE b.reached >= 1 UNION ALL SELECT b.breakdown, 2 AS step, CAST(NULL AS DOUBLE) AS seconds FROM best AS b WHERE b.reached >= 2 UNION ALL SELECT b.breakdown, 3 AS step, CAST(NULL AS DOUBLE) AS seconds FROM best AS b WHERE b.reached >= 3),
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
-- parameters: ["/p/","Product Added","shoes","bags","Order Completed","EUR","acme","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z","2026-11-01T00:00:00.000Z","2026-11-08T00:00:00.000Z"]
