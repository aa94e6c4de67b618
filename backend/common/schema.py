"""The single DynamoDB table's key schema, declared once.

infra/modules/data declares the same names; tests/infra checks they match.
"""

PARTITION_KEY = "pk"
SORT_KEY = "sk"
TTL_ATTRIBUTE = "expires_at"
