variable "region" {
  description = "Region of everything except the CloudFront certificate and edge functions."
  type        = string
  default     = "eu-west-1"
}

variable "site_origins" {
  description = "Origins the site is served from (e.g. [\"https://www.example.com\"]); the API's CORS whitelist."
  type        = list(string)
}

variable "artifacts_dir" {
  description = "Directory of the Lambda zips, relative to this root or absolute."
  type        = string
  default     = "../../../build/lambda"
}

variable "openapi_path" {
  description = "The API description that defines routes and functions."
  type        = string
  default     = "../../../backend/openapi.json"
}
