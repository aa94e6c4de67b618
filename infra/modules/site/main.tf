# The static site: a private bucket (bucket.tf), the CloudFront edge (cdn.tf), the security headers
# policy (headers.tf) and the release pointer machinery (edge.tf).
