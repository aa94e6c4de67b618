SELECT browser AS name, COUNT(DISTINCT day || '/' || visitor) AS visitors
FROM pageviews
GROUP BY browser
ORDER BY visitors DESC, name
