"""Code shared by every Lambda function: settings, table schema, error responses."""
