SELECT
    COALESCE(utm_source, '') AS source,
    COALESCE(utm_medium, '') AS medium,
    COALESCE(utm_campaign, '') AS campaign,
    COUNT(DISTINCT day || '/' || visitor) AS visitors,
    COUNT(*) AS pageviews
FROM pageviews
WHERE utm_source IS NOT NULL OR utm_medium IS NOT NULL OR utm_campaign IS NOT NULL
GROUP BY COALESCE(utm_source, ''), COALESCE(utm_medium, ''), COALESCE(utm_campaign, '')
ORDER BY visitors DESC, pageviews DESC, source, medium, campaign
