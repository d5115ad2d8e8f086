data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  name        = "${var.name_prefix}-${var.environment}-artifacts"
  kms_key_arn = var.create_kms_key ? aws_kms_key.this[0].arn : var.kms_key_arn

  account_root_arn = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"

  # Cross-account principals are named by their account root and narrowed with
  # aws:PrincipalArn: the reader roles live in other accounts and may not exist yet
  # when this bucket is created (a role ARN as Principal must exist).
  reader_account_root_arns = distinct([
    for arn in var.reader_role_arns : "arn:${split(":", arn)[1]}:iam::${split(":", arn)[4]}:root"
  ])

  has_readers = length(var.reader_role_arns) > 0
}
