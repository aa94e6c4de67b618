variable "bucket_name" {
  description = "Name of the private bucket holding the resume PDF."
  type        = string
}

variable "pdf_key" {
  description = "Object key of the PDF; the download function may read only this key."
  type        = string
  default     = "resume/resume.pdf"
}

variable "deny_insecure_transport" {
  description = "Bucket policy denies non-TLS requests (off only on the emulator, which ignores the condition)."
  type        = bool
  default     = true
}

variable "force_destroy" {
  description = "Let terraform destroy the bucket with its PDF in it (throwaway environments)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
