resource "aws_iam_role" "execution" {
  name               = "${local.name}-execution"
  description        = "Execution role of the ${local.name} promote function"
  assume_role_policy = templatefile("${path.module}/policies/execution-trust.json.tftpl", {})
  tags               = var.tags
}

resource "aws_iam_role_policy" "execution" {
  name = "${local.name}-execution"
  role = aws_iam_role.execution.id
  policy = templatefile("${path.module}/policies/execution.json.tftpl", {
    promotion_role_arns_json = jsonencode(local.promotion_role_arns)
    log_group_arn            = aws_cloudwatch_log_group.this.arn
    partition                = data.aws_partition.current.partition
  })
}

# Every promotion verifies the release's signed provenance against the signing key's public key
# (fetched once per cold start). Verification itself is local: no kms:Verify is needed.
resource "aws_iam_role_policy" "verify_provenance" {
  count = var.provenance != null ? 1 : 0

  name = "${local.name}-verify-provenance"
  role = aws_iam_role.execution.id
  policy = templatefile("${path.module}/policies/verify-provenance.json.tftpl", {
    signing_key_arn = var.provenance.signing_key_arn
  })
}

# Pipelines live in the environment accounts; their Invoke action names a role here (role_arn)
# so CodePipeline can invoke the function across accounts. One role per source environment,
# trusted by that environment's pipeline roles only: a stage pipeline cannot act as dev's.
locals {
  pipeline_account_root_arns = {
    for source, arns in var.pipeline_role_arns : source => distinct([
      for arn in arns : "arn:${split(":", arn)[1]}:iam::${split(":", arn)[4]}:root"
    ])
  }
}

resource "aws_iam_role" "pipeline_invoke" {
  for_each = var.create_pipeline_invoke_role ? var.pipeline_role_arns : {}

  name        = "${local.name}-invoke-${each.key}"
  description = "Assumed by ${each.key} pipelines' Invoke actions to invoke ${local.name}:live"
  assume_role_policy = templatefile("${path.module}/policies/invoke-trust.json.tftpl", {
    pipeline_account_root_arns_json = jsonencode(local.pipeline_account_root_arns[each.key])
    pipeline_role_arns_json         = jsonencode(each.value)
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "pipeline_invoke" {
  for_each = aws_iam_role.pipeline_invoke

  name = each.value.name
  role = each.value.id
  policy = templatefile("${path.module}/policies/invoke.json.tftpl", {
    function_arn = aws_lambda_function.this.arn
    alias_arn    = aws_lambda_alias.live.arn
  })
}
