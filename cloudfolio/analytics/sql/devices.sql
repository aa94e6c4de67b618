SELECT device AS name, COUNT(DISTINCT day || '/' || visitor) AS visitors
FROM pageviews
GROUP BY device
ORDER BY visitors DESC, name
