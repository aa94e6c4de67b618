# Glue describes the files (partition projection on dt: no crawler, no partition upkeep);
# Athena runs the report's SQL, the same files DuckDB runs locally.

resource "aws_glue_catalog_database" "this" {
  name        = local.database
  description = "Visit analytics of ${var.name_prefix}."
}

resource "aws_glue_catalog_table" "visits" {
  name          = local.table
  database_name = aws_glue_catalog_database.this.name
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    "classification"              = "json"
    "compressionType"             = "gzip"
    "projection.enabled"          = "true"
    "projection.dt.type"          = "date"
    "projection.dt.format"        = "yyyy-MM-dd"
    "projection.dt.range"         = "2024-01-01,NOW"
    "projection.dt.interval"      = "1"
    "projection.dt.interval.unit" = "DAYS"
    "storage.location.template"   = "s3://${aws_s3_bucket.lake.bucket}/${local.prefix}dt=$${dt}/"
  }

  partition_keys {
    name    = "dt"
    type    = "string"
    comment = "UTC day Firehose received the events."
  }

  storage_descriptor {
    location      = "s3://${aws_s3_bucket.lake.bucket}/${local.prefix}"
    input_format  = "org.apache.hadoop.mapred.TextInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"

    ser_de_info {
      serialization_library = "org.openx.data.jsonserde.JsonSerDe"
      parameters = {
        "ignore.malformed.json" = "true"
      }
    }

    dynamic "columns" {
      for_each = local.columns
      content {
        name    = columns.value.name
        type    = columns.value.type
        comment = columns.value.comment
      }
    }
  }
}

resource "aws_athena_workgroup" "this" {
  count = var.enable_athena ? 1 : 0
  name  = "${var.name_prefix}-analytics"

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    # A runaway query stops at 1 GiB scanned (the lake of a personal site is far smaller).
    bytes_scanned_cutoff_per_query = 1073741824

    result_configuration {
      output_location = "s3://${aws_s3_bucket.results[0].bucket}/"
      encryption_configuration {
        encryption_option = var.kms_key_arn == null ? "SSE_S3" : "SSE_KMS"
        kms_key_arn       = var.kms_key_arn
      }
    }
  }

  tags = var.tags
}

resource "aws_athena_named_query" "report" {
  for_each  = var.enable_athena ? toset(local.query_names) : toset([])
  name      = "${var.name_prefix}-${each.key}"
  workgroup = aws_athena_workgroup.this[0].id
  database  = aws_glue_catalog_database.this.name
  query     = "${local.prelude}\n${file("${local.sql_dir}/${each.key}.sql")}"
}
