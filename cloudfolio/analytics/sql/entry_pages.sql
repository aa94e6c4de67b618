SELECT entry_path AS path, COUNT(*) AS visits
FROM visits_made
GROUP BY entry_path
ORDER BY visits DESC, path
