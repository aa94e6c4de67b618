output "bucket_name" {
  description = "Name of the private resume bucket."
  value       = aws_s3_bucket.resume.id
}

output "pdf_key" {
  description = "Object key of the PDF."
  value       = var.pdf_key
}

output "pdf_object_arn" {
  description = "ARN of the PDF object: the one resource the download function may s3:GetObject."
  value       = "${aws_s3_bucket.resume.arn}/${var.pdf_key}"
}
