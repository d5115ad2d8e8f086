locals {
  name = "${var.name_prefix}-${var.environment}"
}

resource "aws_iam_role" "this" {
  name                 = local.name
  description          = "Assumed by the promote function to write ${var.environment} releases and drop keys"
  max_session_duration = var.max_session_duration
  assume_role_policy = templatefile("${path.module}/policies/trust.json.tftpl", {
    promoter_role_arn = var.promoter_role_arn
    external_id       = var.external_id
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "access" {
  name = "${local.name}-access"
  role = aws_iam_role.this.id
  policy = templatefile("${path.module}/policies/access.json.tftpl", {
    bucket_arn  = var.bucket_arn
    kms_key_arn = var.kms_key_arn
  })
}

resource "aws_iam_role_policy" "read_source" {
  for_each = var.source_environments

  name = "${local.name}-read-${each.key}"
  role = aws_iam_role.this.id
  policy = templatefile("${path.module}/policies/read-source.json.tftpl", {
    source_bucket_arn  = each.value.bucket_arn
    source_kms_key_arn = each.value.kms_key_arn
  })
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

# A CodePipeline job exists only in its pipeline's account. When the promote function runs in
# another account (ops), it reports the jobs of this environment's pipelines, and reads their
# approvals, through this role.
resource "aws_iam_role_policy" "pipeline_jobs" {
  count = var.create_pipeline_job_access ? 1 : 0

  name = "${local.name}-pipeline-jobs"
  role = aws_iam_role.this.id
  policy = templatefile("${path.module}/policies/pipeline-jobs.json.tftpl", {
    partition   = data.aws_partition.current.partition
    account_id  = data.aws_caller_identity.current.account_id
    environment = var.environment
  })
}
