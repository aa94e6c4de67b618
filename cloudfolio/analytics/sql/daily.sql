SELECT day AS date, COUNT(*) AS pageviews, COUNT(DISTINCT visitor) AS visitors
FROM pageviews
GROUP BY day
ORDER BY day
