"""Edge code for the site: release selection (CloudFront Function) and release mapping."""
