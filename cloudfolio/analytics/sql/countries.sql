SELECT COALESCE(country, '(unknown)') AS country, COUNT(DISTINCT day || '/' || visitor) AS visitors
FROM pageviews
GROUP BY COALESCE(country, '(unknown)')
ORDER BY visitors DESC, country
