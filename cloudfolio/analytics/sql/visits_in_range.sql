-- Shared by every query, on Athena and DuckDB alike: the events of the range and their visits.
-- Parameters: first partition, last partition, first day, last day. Partitions (dt) are the day
-- Firehose received an event, so the last partition is the day after the range; rows are kept
-- by the day the counter handled them.
WITH events AS (
    SELECT *
    FROM visits
    WHERE dt BETWEEN ? AND ?
      AND day BETWEEN ? AND ?
),
pageviews AS (
    SELECT
        day, ts, path, visitor, browser, os, device, referrer,
        utm_source, utm_medium, utm_campaign, country
    FROM events
    WHERE NOT bot
),
-- The visits are cut from the few columns they need: the windows sort every column they carry.
ordered AS (
    SELECT
        day, visitor, ts, path,
        LAG(ts) OVER (PARTITION BY day, visitor ORDER BY ts, path) AS previous_ts
    FROM pageviews
),
-- A visit is a run of pageviews of one visitor id with gaps under 30 minutes.
numbered AS (
    SELECT
        day, visitor, ts, path,
        SUM(CASE WHEN previous_ts IS NULL OR ts - previous_ts >= 1800000 THEN 1 ELSE 0 END)
            OVER (PARTITION BY day, visitor ORDER BY ts, path ROWS UNBOUNDED PRECEDING)
            AS visit_number
    FROM ordered
),
visits_made AS (
    SELECT
        day, visitor, visit_number,
        COUNT(*) AS pageviews,
        MIN(ts) AS started,
        MAX(ts) AS ended,
        MIN_BY(path, ts) AS entry_path
    FROM numbered
    GROUP BY day, visitor, visit_number
)
