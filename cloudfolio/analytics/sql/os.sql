SELECT os AS name, COUNT(DISTINCT day || '/' || visitor) AS visitors
FROM pageviews
GROUP BY os
ORDER BY visitors DESC, name
