SELECT path, COUNT(*) AS pageviews, COUNT(DISTINCT day || '/' || visitor) AS visitors
FROM pageviews
GROUP BY path
ORDER BY pageviews DESC, path
