SELECT
    (SELECT COUNT(*) FROM pageviews) AS pageviews,
    (SELECT COUNT(*) FROM (SELECT DISTINCT day, visitor FROM pageviews) AS pairs) AS visitors,
    (SELECT COUNT(*) FROM visits_made) AS visits,
    (SELECT AVG(CASE WHEN pageviews = 1 THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END)
        FROM visits_made) AS bounce_rate,
    (SELECT AVG(CAST(pageviews AS DOUBLE)) FROM visits_made) AS views_per_visit,
    -- The median, spelled with window functions both engines share.
    (SELECT AVG(CAST(ended - started AS DOUBLE)) / 1000
        FROM (
            SELECT
                ended, started,
                ROW_NUMBER() OVER (ORDER BY ended - started) AS position,
                COUNT(*) OVER () AS total
            FROM visits_made
        ) AS ranked
        WHERE position IN (FLOOR((total + 1) / 2.0), FLOOR((total + 2) / 2.0))
    ) AS visit_duration_s,
    (SELECT COUNT(*) FROM events WHERE bot) AS bot_pageviews
