"""The scheduled job that deletes daily salts once their 48 h are over."""
