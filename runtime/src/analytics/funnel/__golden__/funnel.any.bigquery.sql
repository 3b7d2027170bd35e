WITH sliced AS (SELECT s.* FROM (
    SELECT e.person_id, e.event_id, `e`.`timestamp` AS ts, `e`.`utm_source` AS breakdown, CASE WHEN `e`.`type` = 'page' AND (STRPOS(LOWER(`e`.`page_path`), ?) > 0) THEN 1 ELSE 0 END AS `s1`, CASE WHEN (`e`.`type` = 'track' AND `e`.`event` = ?) AND (JSON_VALUE(`e`.`properties`, '$."category"') IN (?, ?)) THEN 1 ELSE 0 END AS `s2`, CASE WHEN (`e`.`type` = 'track' AND `e`.`event` = ?) AND (JSON_VALUE(`e`.`properties`, '$."currency"') = ?) THEN 1 ELSE 0 END AS `s3`
    FROM events AS e 
    WHERE e.tenant_id = ? AND `e`.`timestamp` >= TIMESTAMP(?) AND `e`.`timestamp` <= TIMESTAMP_ADD(TIMESTAMP(?), INTERVAL 604800 SECOND)
      ) AS s WHERE `s`.`s1` = 1 OR `s`.`s2` = 1 OR `s`.`s3` = 1),
    numbered AS (SELECT x.*, ROW_NUMBER() OVER (PARTITION BY x.person_id ORDER BY x.ts, x.event_id) AS seq FROM sliced AS x),
    attempts AS (
    SELECT a.person_id, a.breakdown, a.seq AS start_id, a.ts AS t1, MAX(`b`.`s1`) + MAX(`b`.`s2`) + MAX(`b`.`s3`) AS reached
    FROM numbered AS a
    JOIN numbered AS b
      ON b.person_id = a.person_id AND b.seq >= a.seq
         AND b.ts <= TIMESTAMP_ADD(`a`.`ts`, INTERVAL 604800 SECOND)
    WHERE a.ts >= TIMESTAMP(?) AND a.ts < TIMESTAMP(?)
    GROUP BY a.person_id, a.breakdown, a.seq, a.ts),
    ranked_attempts AS (
      SELECT a.*, ROW_NUMBER() OVER (PARTITION BY a.person_id ORDER BY a.reached DESC, a.t1, a.start_id) AS pick
      FROM attempts AS a),
    best AS (SELECT * FROM ranked_attempts WHERE pick = 1),
    reached AS (SELECT b.breakdown, 1 AS step, CAST(NULL AS FLOAT64) AS seconds FROM best AS b WHERE b.reached >= 1 UNION ALL SELECT b.breakdown, 2 AS step, CAST(NULL AS FLOAT64) AS seconds FROM best AS b WHERE b.reached >= 2 UNION ALL SELECT b.breakdown, 3 AS step, CAST(NULL AS FLOAT64) AS seconds FROM best AS b WHERE b.reached >= 3),
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
