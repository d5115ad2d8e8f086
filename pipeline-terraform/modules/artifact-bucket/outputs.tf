output "bucket_name" {
  description = "Name of the artifact bucket (the \"bucket\" of this environment in PROMOTION_CONFIG)."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the artifact bucket."
  value       = aws_s3_bucket.this.arn
}

output "kms_key_arn" {
  description = "ARN of the bucket's KMS key (the \"kmsKeyArn\" of this environment in PROMOTION_CONFIG). Clients that set SSE headers must name this ARN."
  value       = local.kms_key_arn
}

output "releases_prefix" {
  description = "Key prefix of the immutable release objects: releases/<function>/<revision>.zip."
  value       = "releases/"
}

output "drop_prefix" {
  description = "Key prefix of the drop keys the pipelines watch: drop/<function>.zip."
  value       = "drop/"
}

output "object_lock_retention_days" {
  description = "Default GOVERNANCE retention of new object versions in days, or null when Object Lock is off."
  value       = var.object_lock_retention_days
}
