data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
# .id is the region name in provider v5 and v6 alike (v6 deprecates .name for .region,
# which v5 lacks).
data "aws_region" "current" {}

locals {
  name       = "${var.function_name}-${var.environment}"
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id

  # Pipeline roles only, below role_path (see aws_iam_role.pipeline).
  pipeline_role_path = "${var.role_path}codepipeline/"

  # The first account builds from the repository; every later account starts from
  # the drop key the promoter writes.
  is_first_account = var.source_connection != null
  has_promotion    = var.promotion != null
  drop_key         = "drop/${var.function_name}.zip"

  # Later accounts also fetch the function's repository, for its Terraform only: a full
  # clone the deploy checks out at the package's git revision. The artifact name is the
  # CodeBuild source identifier, so deploy.yml finds the clone in
  # CODEBUILD_SRC_DIR_function_source (letters, digits and underscores only, or the
  # variable is unusable in a shell).
  has_function_source      = !local.is_first_account && var.function_source != null
  function_source_artifact = "function_source"

  # The connection the pipeline role uses: the build source (first account) or the
  # function source (later accounts).
  source_connection_arn = local.is_first_account ? var.source_connection.connection_arn : try(var.function_source.connection_arn, null)

  artifact_bucket_arn       = "arn:${local.partition}:s3:::${var.artifact_bucket_name}"
  artifact_store_bucket     = var.create_artifact_store_bucket ? aws_s3_bucket.artifact_store[0].id : var.artifact_store_bucket_name
  artifact_store_bucket_arn = "arn:${local.partition}:s3:::${local.artifact_store_bucket}"

  # Copies of the repository's buildspecs/build.yml and deploy.yml kept inside the module
  # (buildspecs/sync-module-buildspecs.sh writes them, a test keeps them equal), so the module
  # works from a registry or a git ref without the rest of the repository.
  build_buildspec  = local.is_first_account ? coalesce(var.build_buildspec, file("${path.module}/buildspecs/build.yml")) : null
  deploy_buildspec = coalesce(var.deploy_buildspec, file("${path.module}/buildspecs/deploy.yml"))

  # The scripts the buildspecs call and the promoter CLI: release objects of this repository in
  # the ops account's bucket, each verified against its SHA-256 by the buildspec before use.
  tools_bucket_arn = "arn:${local.partition}:s3:::${var.buildspec_tools.bucket}"
  tools_object_arns = [
    "${local.tools_bucket_arn}/${var.buildspec_tools.bundle_key}",
    "${local.tools_bucket_arn}/${var.buildspec_tools.promoter_cli_key}",
  ]
  tools_environment_variables = {
    BUILDSPEC_TOOLS_S3_URI = "s3://${var.buildspec_tools.bucket}/${var.buildspec_tools.bundle_key}"
    BUILDSPEC_TOOLS_SHA256 = var.buildspec_tools.bundle_sha256
    PROMOTER_CLI_S3_URI    = "s3://${var.buildspec_tools.bucket}/${var.buildspec_tools.promoter_cli_key}"
    PROMOTER_CLI_SHA256    = var.buildspec_tools.promoter_cli_sha256
  }

  state_key              = var.state_key != null ? var.state_key : "${var.function_name}/terraform.tfstate"
  state_bucket_arn       = "arn:${local.partition}:s3:::${var.terraform_backend.bucket}"
  deployed_function_name = var.deployed_function_name != null ? var.deployed_function_name : local.name
  deployed_function_arn  = "arn:${local.partition}:lambda:${local.region}:${local.account_id}:function:${local.deployed_function_name}"

  # What this pipeline execution carries: the commit (first account) or the drop-key
  # version the S3 source picked up (later accounts).
  source_revision_variable = local.is_first_account ? "#{SourceVariables.CommitId}" : "#{SourceVariables.VersionId}"
}

resource "aws_s3_bucket" "artifact_store" {
  count = var.create_artifact_store_bucket ? 1 : 0

  bucket = "${var.name_prefix}-${local.name}-pipeline"
  tags   = var.tags
}

resource "aws_s3_bucket_ownership_controls" "artifact_store" {
  count = var.create_artifact_store_bucket ? 1 : 0

  bucket = aws_s3_bucket.artifact_store[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "artifact_store" {
  count = var.create_artifact_store_bucket ? 1 : 0

  bucket = aws_s3_bucket.artifact_store[0].id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "artifact_store" {
  count = var.create_artifact_store_bucket ? 1 : 0

  bucket = aws_s3_bucket.artifact_store[0].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifact_store" {
  count = var.create_artifact_store_bucket ? 1 : 0

  bucket = aws_s3_bucket.artifact_store[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "artifact_store" {
  count = var.create_artifact_store_bucket ? 1 : 0

  bucket = aws_s3_bucket.artifact_store[0].id

  rule {
    id     = "expire-pipeline-artifacts"
    status = "Enabled"

    filter {}

    expiration {
      days = 90
    }

    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.artifact_store]
}

resource "aws_s3_bucket_policy" "artifact_store" {
  count = var.create_artifact_store_bucket ? 1 : 0

  bucket = aws_s3_bucket.artifact_store[0].id
  policy = templatefile("${path.module}/policies/artifact-store-bucket.json.tftpl", {
    bucket_arn = aws_s3_bucket.artifact_store[0].arn
  })

  depends_on = [aws_s3_bucket_public_access_block.artifact_store]
}
