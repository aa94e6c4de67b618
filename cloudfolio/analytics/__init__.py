"""Visit analytics: the lake's layout, the local relay, the queries and the report."""
