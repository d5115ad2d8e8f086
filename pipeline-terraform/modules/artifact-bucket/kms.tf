locals {
  key_user_arns = distinct([for arn in concat([var.promotion_role_arn], var.key_user_arns) : arn if arn != null])

  key_policy_base = jsondecode(templatefile("${path.module}/policies/key.json.tftpl", {
    account_root_arn   = local.account_root_arn
    key_user_arns_json = jsonencode(local.key_user_arns)
  }))

  key_policy_readers = jsondecode(templatefile("${path.module}/policies/key-readers.json.tftpl", {
    reader_account_root_arns_json = jsonencode(local.reader_account_root_arns)
    reader_role_arns_json         = jsonencode(var.reader_role_arns)
  }))

  key_policy = jsonencode({
    Version   = local.key_policy_base.Version
    Statement = concat(local.key_policy_base.Statement, local.has_readers ? local.key_policy_readers.Statement : [])
  })
}

resource "aws_kms_key" "this" {
  count = var.create_kms_key ? 1 : 0

  description             = "Lambda deployment packages of the ${var.environment} environment"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = local.key_policy
  tags                    = var.tags

  lifecycle {
    precondition {
      condition     = length(local.key_user_arns) > 0
      error_message = "Nobody could use the key: set promotion_role_arn or key_user_arns."
    }
  }
}

resource "aws_kms_alias" "this" {
  count = var.create_kms_key ? 1 : 0

  name          = "alias/${local.name}"
  target_key_id = aws_kms_key.this[0].key_id
}
