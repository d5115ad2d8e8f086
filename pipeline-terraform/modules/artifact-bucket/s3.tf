resource "aws_s3_bucket" "this" {
  bucket        = local.name
  force_destroy = var.force_destroy
  tags          = var.tags

  lifecycle {
    precondition {
      condition     = var.create_kms_key || var.kms_key_arn != null
      error_message = "Set kms_key_arn when create_kms_key is false."
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = aws_s3_bucket.this.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = local.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_multipart_upload_days
    }
  }

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

# Pipelines start on "Object Created" events for their drop key (drop/<function>.zip).
resource "aws_s3_bucket_notification" "this" {
  bucket      = aws_s3_bucket.this.id
  eventbridge = true
}

locals {
  bucket_policy_base = jsondecode(templatefile("${path.module}/policies/bucket.json.tftpl", {
    bucket_arn  = aws_s3_bucket.this.arn
    kms_key_arn = local.kms_key_arn
  }))

  bucket_policy_readers = jsondecode(templatefile("${path.module}/policies/bucket-readers.json.tftpl", {
    bucket_arn                    = aws_s3_bucket.this.arn
    reader_account_root_arns_json = jsonencode(local.reader_account_root_arns)
    reader_role_arns_json         = jsonencode(var.reader_role_arns)
  }))
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode({
    Version   = local.bucket_policy_base.Version
    Statement = concat(local.bucket_policy_base.Statement, local.has_readers ? local.bucket_policy_readers.Statement : [])
  })

  depends_on = [aws_s3_bucket_public_access_block.this]
}

# WORM for releases: with governance mode, nobody without s3:BypassGovernanceRetention can
# delete or replace a version during its retention; the promotion role has that permission
# on drop/* only (policies of module promotion-role).
resource "aws_s3_bucket_object_lock_configuration" "this" {
  count = var.object_lock_retention_days == null ? 0 : 1

  bucket = aws_s3_bucket.this.id

  rule {
    default_retention {
      mode = "GOVERNANCE"
      days = var.object_lock_retention_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}
