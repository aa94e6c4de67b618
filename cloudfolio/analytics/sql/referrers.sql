SELECT
    COALESCE(referrer, '(direct)') AS domain,
    COUNT(DISTINCT day || '/' || visitor) AS visitors,
    COUNT(*) AS pageviews
FROM pageviews
GROUP BY COALESCE(referrer, '(direct)')
ORDER BY visitors DESC, pageviews DESC, domain
