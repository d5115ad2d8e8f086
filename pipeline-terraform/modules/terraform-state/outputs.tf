output "bucket_name" {
  description = "Name of the state bucket (backend \"s3\" bucket)."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the state bucket, for scoping deploy roles."
  value       = aws_s3_bucket.this.arn
}

output "region" {
  description = "Region of the state bucket (backend \"s3\" region)."
  value       = data.aws_region.current.id
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts state (backend \"s3\" kms_key_id)."
  value       = local.kms_key_arn
}

output "lock_table_name" {
  description = "Name of the DynamoDB lock table, or null when S3 native locking is used."
  value       = try(aws_dynamodb_table.lock[0].name, null)
}

output "lock_table_arn" {
  description = "ARN of the DynamoDB lock table, or null when S3 native locking is used."
  value       = try(aws_dynamodb_table.lock[0].arn, null)
}

output "backend" {
  description = "Backend settings as one object, the shape function-pipeline's terraform_backend input takes."
  value = {
    bucket         = aws_s3_bucket.this.id
    region         = data.aws_region.current.id
    kms_key_arn    = local.kms_key_arn
    dynamodb_table = try(aws_dynamodb_table.lock[0].name, null)
  }
}

output "backend_environment_variables" {
  description = "CodeBuild environment variables that buildspecs/deploy.yml turns into -backend-config flags (TF_BACKEND_KEY is per function and added by function-pipeline)."
  value = merge(
    {
      TF_BACKEND_BUCKET     = aws_s3_bucket.this.id
      TF_BACKEND_REGION     = data.aws_region.current.id
      TF_BACKEND_KMS_KEY_ID = local.kms_key_arn
    },
    var.create_lock_table ? {
      TF_BACKEND_DYNAMODB_TABLE = aws_dynamodb_table.lock[0].name
      } : {
      TF_BACKEND_USE_LOCKFILE = "true"
    }
  )
}
